package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code maxInlineBytes} bounds every inline line, also one that arrives whole in a single read:
 * Netty's decoder checked its limit only against a line still waiting for its CRLF, so complete
 * lines are checked too (by the guard then, by {@link RespRequestDecoder} now). Found by {@code RespRequestDecoderFuzzTest} (kept as its seed {@code
 * inline-line-over-the-limit-in-one-read}).
 */
@ExtendWith(NoLeaks.class)
class InlineLineLimitTest {

  private static RespTestChannel limited() {
    return new RespTestChannel(RespConfig.builder().maxInlineBytes(32).build());
  }

  @Test
  void aWholeInlineLineOverTheLimitInOneReadIsRefused() {
    String line = "SET k " + "v".repeat(40); // 46 bytes, CRLF and all in one read
    try (RespTestChannel c = limited()) {
      assertThat(c.exchange("PING\r\n" + line + "\r\nPING\r\n"))
          .isEqualTo(
              "+PONG\r\n-ERR Protocol error: inline request too big: 46 bytes (expected: <= 32)\r\n");
      assertThat(c.isOpen()).isFalse();
      assertThat(c.gateway.writes()).isEmpty();
    }
  }

  @Test
  void anInlineLineAtTheLimitRuns() {
    String line = "SET k " + "v".repeat(26); // 32 bytes
    try (RespTestChannel c = limited()) {
      assertThat(c.exchange(line + "\r\n")).isEqualTo("+OK\r\n");
    }
  }

  @Test
  void multiByteCharactersCountInBytes() {
    String line = "SET k " + "\u00e9".repeat(14); // 6 + 28 bytes of UTF-8, 20 characters
    try (RespTestChannel c = limited()) {
      String bytes = new String(line.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(c.exchange(bytes + "\r\n"))
          .isEqualTo("-ERR Protocol error: inline request too big: 34 bytes (expected: <= 32)\r\n");
    }
  }
}
