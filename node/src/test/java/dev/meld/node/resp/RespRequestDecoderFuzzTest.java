package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The request decoder alone: the client pipeline's inbound half (Netty's {@code RedisDecoder}
 * with inline commands, the {@link RequestGuard}, the aggregators) with the connection taken out,
 * so nothing runs commands and a run costs microseconds. Any bytes, in reads of any size:
 *
 * <ul>
 *   <li>what comes out is only inline lines within {@code maxInlineBytes} and arrays of non-null
 *       bulk strings within {@code maxArrayLength}, {@code maxBulkBytes} and {@code
 *       maxRequestBytes}, or one {@link RequestGuard.ProtocolError} after which nothing comes;
 *   <li>a failure is a Netty codec exception that says why, never a wrapped bug (an index out of
 *       bounds, a class cast);
 *   <li>every inline line either is refused by {@link InlineCommand#split} for its quotes or
 *       splits into arguments that, quoted back, split into the same arguments;
 *   <li>no buffer is leaked and the decoder never holds more than {@link #MAX_HELD_BYTES} (a
 *       length the client wrote is never what it allocates).
 * </ul>
 *
 * <p>Leaks are counted exactly on the channel's own allocator rather than by Netty's sampling
 * detector, so a run costs no garbage collection. Under {@code mvn verify} it replays the seeds in
 * {@code src/test/resources/dev/meld/node/resp/RespRequestDecoderFuzzTestInputs/requests/}; to
 * fuzz for real: {@code just fuzz node RespRequestDecoderFuzzTest} (node/README.md, "Fuzzing").
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
   * What the decoding half may hold at once: a few power-of-two rounded copies of one request or
   * line and one read, far below any length a client can write (up to 2^31).
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
    boolean failed = false;
    for (int at = 1; at < input.length && !failed; at += readSize) {
      int n = Math.min(readSize, input.length - at);
      ByteBuf chunk = alloc.heapBuffer(n).writeBytes(input, at, n);
      try {
        ch.writeInbound(chunk);
      } catch (DecoderException e) {
        assertThat(e.getMessage()).as("a refusal says why").isNotBlank();
        assertThat(e.getCause() == null || e.getCause() instanceof CodecException)
            .as("a decoder failure is a refusal, not a wrapped bug: %s", e)
            .isTrue();
        failed = true;
      }
      failed |= drain(ch);
      assertThat(alloc.metric().usedHeapMemory())
          .as("bytes held by the decoder")
          .isLessThanOrEqualTo(MAX_HELD_BYTES);
    }
    if (!failed) {
      drain(ch);
    }
    ch.close();
    try {
      ch.checkException();
    } catch (PrematureChannelClosureException hungUpMidRequest) {
      // the aggregators' word for a client gone in the middle of a request: the connection logs it
    }
    ch.finishAndReleaseAll();
    assertThat(alloc.metric().usedHeapMemory()).as("bytes leaked").isZero();
  }

  /** Checks and releases what came out; true once the guard has refused the stream. */
  private static boolean drain(EmbeddedChannel ch) {
    boolean refused = false;
    for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
      try {
        assertThat(refused).as("%s after a protocol error", msg).isFalse();
        if (msg instanceof RequestGuard.ProtocolError error) {
          assertThat(error.message()).isNotBlank();
          refused = true;
        } else if (msg instanceof InlineCommandRedisMessage inline) {
          int bytes = io.netty.buffer.ByteBufUtil.utf8Bytes(inline.content());
          if (bytes > CONFIG.maxInlineBytes()) {
            throw new AssertionError(
                "an inline line of " + bytes + " bytes (expected: <= " + CONFIG.maxInlineBytes() + ")");
          }
          splitsStably(inline.content());
        } else {
          assertThat(msg).isInstanceOf(ArrayRedisMessage.class);
          withinLimits((ArrayRedisMessage) msg);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    return refused;
  }

  private static void withinLimits(ArrayRedisMessage array) {
    List<RedisMessage> children = array.children();
    assertThat(children.size()).isLessThanOrEqualTo(CONFIG.maxArrayLength());
    long requestBytes = 0;
    for (RedisMessage child : children) {
      assertThat(child).isInstanceOf(FullBulkStringRedisMessage.class);
      FullBulkStringRedisMessage bulk = (FullBulkStringRedisMessage) child;
      assertThat(bulk.isNull()).as("a null argument").isFalse();
      int length = bulk.content().readableBytes();
      assertThat(length).isLessThanOrEqualTo(CONFIG.maxBulkBytes());
      requestBytes += length + RespConfig.ARGUMENT_OVERHEAD_BYTES;
    }
    assertThat(requestBytes).isLessThanOrEqualTo(CONFIG.maxRequestBytes());
  }

  /** Split, quote every argument back with {@code \xHH} escapes, split again: the same words. */
  static void splitsStably(String line) {
    List<byte[]> words;
    try {
      words = InlineCommand.split(line);
    } catch (RespProtocolException unbalanced) {
      assertThat(unbalanced.getMessage()).isNotBlank();
      return;
    }
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
        InlineCommand.split(new String(quoted.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(again).as("%s quoted back", line).hasSameSizeAs(words);
    for (int i = 0; i < words.size(); i++) {
      assertThat(again.get(i)).as("word %s of %s", i, line).isEqualTo(words.get(i));
    }
  }
}
