package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The request decoder alone: the client pipeline with the connection taken out ({@link
 * RespRequestDecoder} and the reply encoder), so nothing runs commands and a run costs
 * microseconds. Any bytes, in reads of any size:
 *
 * <ul>
 *   <li>what comes out is only requests that an inline line within {@code maxInlineBytes} could
 *       spell (their arguments together within it) or that an array within {@code maxArrayLength},
 *       {@code maxBulkBytes} and {@code maxRequestBytes} could, or one {@link
 *       RequestGuard.ProtocolError} (with a message) after which nothing comes;
 *   <li>no exception ever comes out of the decoder: a refusal is a message, never a thrown bug;
 *   <li>it hands on exactly what the Netty pipeline it replaced handed on ({@link
 *       NettyRequestPipeline}), fed the same reads;
 *   <li>every request's arguments, quoted back as an inline line with {@code \xHH} escapes, split
 *       into the same arguments;
 *   <li>no buffer is leaked and the decoder never holds more than {@link #MAX_HELD_BYTES} of the
 *       channel's buffers (a length the client wrote is never what it allocates; a bulk string's
 *       own array is allocated only once its length passed the limits).
 * </ul>
 *
 * <p>Leaks are counted exactly on the channel's own allocator rather than by Netty's sampling
 * detector, so a run costs no garbage collection. Under {@code mvn verify} it replays the seeds in
 * {@code src/test/resources/dev/meld/node/resp/RespRequestDecoderFuzzTestInputs/requests/}; to fuzz
 * for real: {@code just fuzz node RespRequestDecoderFuzzTest} (node/README.md, "Fuzzing").
 */
class RespRequestDecoderFuzzTest {

  /** Small limits, so that the fuzzer reaches each of them with short inputs. */
  private static final RespConfig CONFIG =
      RespConfig.builder()
          .maxBulkBytes(64)
          .maxArrayLength(8)
          .maxInlineBytes(64)
          .maxRequestBytes(256)
          .maxPipelinedCommands(16)
          .idleTimeoutMillis(0)
          .build();

  private static final ServerContext SERVER =
      new ServerContext(CONFIG, new FakeGateway(), RespMetrics.NOOP);

  /**
   * What the decoder may hold at once: a line still waiting for its end and one read, far below any
   * length a client can write (up to 2^31).
   */
  static final long MAX_HELD_BYTES = 16 * 1024;

  /** The first byte sets the read size (1 to 32); the rest is the stream. */
  @FuzzTest(maxDuration = "180m", maxExecutions = 10_000_000)
  void requests(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int readSize = 1 + (input[0] & 31);
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    ch.pipeline().addLast(new RespChannelInitializer(SERVER));
    ch.pipeline().remove(RespConnection.class);
    List<byte[]> reads = new ArrayList<>();
    List<String> decoded = new ArrayList<>();
    boolean refused = false;
    for (int at = 1; at < input.length; at += readSize) {
      int n = Math.min(readSize, input.length - at);
      reads.add(Arrays.copyOfRange(input, at, at + n));
      ByteBuf chunk = alloc.heapBuffer(n).writeBytes(input, at, n);
      ch.writeInbound(chunk);
      refused = drain(ch, decoded, refused);
      assertThat(alloc.metric().usedHeapMemory())
          .as("bytes held by the decoder")
          .isLessThanOrEqualTo(MAX_HELD_BYTES);
    }
    ch.finishAndReleaseAll();
    assertThat(alloc.metric().usedHeapMemory()).as("bytes leaked").isZero();
    assertThat(SERVER.unfinishedBytes()).as("budget held after the connection").isZero();
    EmbeddedChannel old = new EmbeddedChannel();
    assertThat(decoded)
        .as("what the Netty pipeline made of it")
        .isEqualTo(
            NettyRequestPipeline.outcomes(
                old,
                CONFIG,
                new Client(SERVER, "fuzz:1", "fuzz", "local:2", old.eventLoop()),
                reads));
  }

  /** Checks what came out and adds it to {@code decoded}; true once the stream is refused. */
  private static boolean drain(EmbeddedChannel ch, List<String> decoded, boolean refused) {
    for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
      assertThat(refused).as("%s after a protocol error", msg).isFalse();
      if (msg instanceof RequestGuard.ProtocolError error) {
        assertThat(error.message()).isNotBlank();
        decoded.add(NettyRequestPipeline.error(error.reason(), error.message()));
        refused = true;
      } else {
        assertThat(msg).isInstanceOf(Args.class);
        List<byte[]> words = NettyRequestPipeline.words((Args) msg);
        assertThat(withinArrayLimits(words) || withinInlineLimits(words))
            .as("%s within the limits", NettyRequestPipeline.args(words))
            .isTrue();
        splitsStably(words);
        decoded.add(NettyRequestPipeline.args(words));
      }
    }
    return refused;
  }

  private static boolean withinArrayLimits(List<byte[]> words) {
    long requestBytes = 0;
    for (byte[] word : words) {
      if (word.length > CONFIG.maxBulkBytes()) {
        return false;
      }
      requestBytes += word.length + RespConfig.ARGUMENT_OVERHEAD_BYTES;
    }
    return words.size() <= CONFIG.maxArrayLength() && requestBytes <= CONFIG.maxRequestBytes();
  }

  /** An inline line's words take at most its bytes (an escape spells one byte in two or four). */
  private static boolean withinInlineLimits(List<byte[]> words) {
    long bytes = 0;
    for (byte[] word : words) {
      bytes += word.length;
    }
    return bytes <= CONFIG.maxInlineBytes();
  }

  /** Quote every argument back with {@code \xHH} escapes, split again: the same words. */
  static void splitsStably(List<byte[]> words) {
    ByteArrayOutputStream quoted = new ByteArrayOutputStream();
    for (byte[] word : words) {
      quoted.write(' ');
      quoted.write('"');
      for (byte b : word) {
        quoted.writeBytes(String.format("\\x%02x", b & 0xFF).getBytes());
      }
      quoted.write('"');
    }
    List<byte[]> again =
        InlineCommand.split(
            new String(quoted.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(again).as("quoted back").hasSameSizeAs(words);
    for (int i = 0; i < words.size(); i++) {
      assertThat(again.get(i)).as("word %s", i).isEqualTo(words.get(i));
    }
  }
}
