package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meld.node.testing.NoLeaks;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Any bytes, arriving in reads of any size, pass through the whole client pipeline (the {@link
 * RespRequestDecoder}, the connection, the reply encoder) without an exception escaping,
 * without a leaked buffer, and are answered only with well-formed RESP; a closed connection's last
 * reply is an error or {@code QUIT}'s {@code +OK}.
 *
 * <p>Under {@code mvn verify} it runs in regression mode on the seeds in {@code
 * src/test/resources/dev/meld/node/resp/RespDecodingFuzzTestInputs/anyInput/}. To fuzz for real:
 * {@code just fuzz node RespDecodingFuzzTest} or {@code JAZZER_FUZZ=1 mvn -pl node -am test
 * -Dtest=RespDecodingFuzzTest -Djazzer.hooks=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(NoLeaks.class)
class RespDecodingFuzzTest {

  /** Small limits, so that the fuzzer reaches each of them with short inputs. */
  private static final RespConfig CONFIG =
      RespConfig.builder()
          .maxBulkBytes(64)
          .maxArrayLength(8)
          .maxInlineBytes(64)
          .maxRequestBytes(256)
          .maxPipelinedCommands(16)
          .build();

  /** The first byte sets the read size (1 to 32); the rest is the stream. */
  @FuzzTest(maxDuration = "5m")
  void anyInput(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int readSize = 1 + (input[0] & 31);
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);
    try (RespTestChannel c = new RespTestChannel(CONFIG)) {
      StringBuilder replies = new StringBuilder();
      for (int at = 0; at < stream.length && c.isOpen(); at += readSize) {
        byte[] chunk = Arrays.copyOfRange(stream, at, Math.min(stream.length, at + readSize));
        c.send(new String(chunk, StandardCharsets.ISO_8859_1));
        replies.append(c.read());
      }
      replies.append(c.read());
      String all = replies.toString();
      ReplyReader.count(all);
      if (!c.isOpen()) {
        String last = lastLine(all);
        assertThat(last.startsWith("-ERR") || last.equals("+OK"))
            .as("a connection closes after an error or QUIT, not after %s", last)
            .isTrue();
      }
    }
  }

  private static String lastLine(String replies) {
    String trimmed =
        replies.endsWith("\r\n") ? replies.substring(0, replies.length() - 2) : replies;
    int start = trimmed.lastIndexOf("\r\n");
    return start < 0 ? trimmed : trimmed.substring(start + 2);
  }
}
