package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RespRequestDecoder} on its own: each limit, reads split anywhere, a large bulk string in
 * reads of every size, the node-wide budget taken and given back. Its equivalence with the Netty
 * pipeline it replaced is {@link RespRequestDecoderDifferentialTest}'s.
 */
@ExtendWith(NoLeaks.class)
class RespRequestDecoderTest {

  private static final RespConfig SMALL =
      RespConfig.builder()
          .maxBulkBytes(10)
          .maxArrayLength(4)
          .maxInlineBytes(32)
          .maxRequestBytes(4 * (10 + RespConfig.ARGUMENT_OVERHEAD_BYTES) - 1)
          .build();

  /** A decoder on an empty channel whose allocator counts what it holds. */
  private static final class Decoding implements AutoCloseable {
    final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
    final ServerContext server;
    final EmbeddedChannel ch = new EmbeddedChannel();
    final Client client;

    Decoding(RespConfig config) {
      server = new ServerContext(config, new FakeGateway(), RespMetrics.NOOP);
      ch.config().setAllocator(alloc);
      client = new Client(server, "test:1", "test", "local:2", ch.eventLoop());
      ch.pipeline().addLast(new RespRequestDecoder(config, client));
    }

    /** Feeds {@code bytes} in reads of {@code readSize}; what came out, as outcome strings. */
    List<String> feed(byte[] bytes, int readSize) {
      List<String> out = new ArrayList<>();
      for (int at = 0; at < bytes.length; at += readSize) {
        int n = Math.min(readSize, bytes.length - at);
        ch.writeInbound(alloc.heapBuffer(n).writeBytes(bytes, at, n));
        assertThat(alloc.metric().usedHeapMemory())
            .as("buffered after a read of %s", n)
            .isLessThanOrEqualTo(Math.max(256, 2L * n));
        drain(out);
      }
      return out;
    }

    List<String> feed(String s) {
      return feed(s.getBytes(StandardCharsets.ISO_8859_1), Integer.MAX_VALUE);
    }

    void drain(List<String> out) {
      for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
        out.add(NettyRequestPipeline.decoded(msg));
      }
    }

    @Override
    public void close() {
      ch.finishAndReleaseAll();
      assertThat(alloc.metric().usedHeapMemory()).as("leaked").isZero();
    }
  }

  private static String command(String... words) {
    return RespTestChannel.command(words);
  }

  private static String protocol(String what) {
    return NettyRequestPipeline.error("protocol", "Protocol error: " + what);
  }

  @Test
  void eachLimitIsRefusedOnItsLengthAloneAndNothingFollows() {
    String[][] cases = {
      {"*5\r\n", "invalid multibulk length: 5 (expected: <= 4)"},
      {"*1\r\n$11\r\n", "invalid bulk length: 11 (expected: <= 10)"},
      {
        "*4\r\n$10\r\n0123456789\r\n$10\r\n0123456789\r\n$10\r\n0123456789\r\n$10\r\n",
        "request too big: more than 168 bytes (expected: <= 167)"
      },
      {"GET " + "k".repeat(29) + "\r\n", "inline request too big: 33 bytes (expected: <= 32)"},
      {"GET " + "k".repeat(40), "length: 44 (expected: <= 32)"},
      {"*" + "1".repeat(21), "too many characters to be a valid RESP Integer: 21"},
    };
    for (String[] k : cases) {
      try (Decoding d = new Decoding(SMALL)) {
        List<String> out = d.feed(command("PING") + k[0]);
        out.addAll(d.feed(command("PING")));
        assertThat(out).as(k[0]).containsExactly("args \"PING\"", protocol(k[1]));
      }
    }
  }

  @Test
  void untilAuthenticatedRedisLimitsApplyAndAuthLiftsThemForTheVeryNextRequest() {
    RespConfig config = RespConfig.builder().password("pw").build();
    try (Decoding d = new Decoding(config)) {
      assertThat(d.feed("*11\r\n"))
          .containsExactly(protocol("invalid multibulk length: 11 (expected: <= 10)"));
    }
    try (Decoding d = new Decoding(config)) {
      assertThat(d.feed("*1\r\n$16385\r\n"))
          .containsExactly(protocol("invalid bulk length: 16385 (expected: <= 16384)"));
    }
    try (Decoding d = new Decoding(config)) {
      // What the connection does with AUTH: it has happened before the next request is read.
      d.ch
          .pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  d.client.authenticated(true);
                  ctx.fireChannelRead(msg);
                }
              });
      String eleven = command("DEL", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
      List<String> out = d.feed(command("AUTH", "pw") + eleven);
      assertThat(out).hasSize(2);
      assertThat(out.get(1)).startsWith("args \"DEL\"");
    }
  }

  @Test
  void aPipelinedStreamDecodesTheSameInReadsOfAnySize() {
    String stream =
        command("SET", "k", "v\r\n")
            + "GET \"a b\" 'c'\r\n"
            + "*0\r\n*-1\r\n\r\n"
            + command("SET", "", "0123456789")
            + command("INCR", "n")
            + "PING\r\n";
    List<String> whole;
    try (Decoding d = new Decoding(SMALL)) {
      whole = d.feed(stream);
    }
    assertThat(whole)
        .containsExactly(
            "args \"SET\" \"k\" \"v\\x0d\\x0a\"",
            "args \"GET\" \"a b\" \"c\"",
            "args \"SET\" \"\" \"0123456789\"",
            "args \"INCR\" \"n\"",
            "args \"PING\"");
    byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
    for (int readSize = 1; readSize <= bytes.length; readSize++) {
      try (Decoding d = new Decoding(SMALL)) {
        assertThat(d.feed(bytes, readSize)).as("reads of %s", readSize).isEqualTo(whole);
      }
    }
  }

  /**
   * A 1 MiB argument in reads from 1 byte to 64 KiB: every read's bytes are taken at once (the
   * channel's buffers never hold more than about one read), so nothing is searched or copied twice,
   * and the argument comes out whole, once.
   */
  @Test
  void aOneMebibyteBulkInReadsOfEverySizeIsCopiedAsItArrives() {
    byte[] value = new byte[1 << 20];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 31 + (i >> 9));
    }
    byte[] head =
        ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + value.length + 2];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(value, 0, request, head.length, value.length);
    request[request.length - 2] = '\r';
    request[request.length - 1] = '\n';
    RespConfig config = RespConfig.builder().maxBulkBytes(2 << 20).build();
    for (int readSize : new int[] {1, 3, 1000, 4096, 65536}) {
      try (Decoding d = new Decoding(config)) {
        List<Object> out = new ArrayList<>();
        for (int at = 0; at < request.length; at += readSize) {
          int n = Math.min(readSize, request.length - at);
          d.ch.writeInbound(d.alloc.heapBuffer(n).writeBytes(request, at, n));
          assertThat(d.alloc.metric().usedHeapMemory()).isLessThanOrEqualTo(Math.max(64, 2L * n));
          for (Object msg = d.ch.readInbound(); msg != null; msg = d.ch.readInbound()) {
            out.add(msg);
          }
        }
        assertThat(out).as("reads of %s", readSize).hasSize(1);
        Args args = (Args) out.get(0);
        assertThat(args.size()).isEqualTo(3);
        assertThat(Arrays.equals(args.bytes(2), value))
            .as("the value, reads of %s", readSize)
            .isTrue();
        assertThat(d.server.unfinishedBytes()).as("budget once handed on").isZero();
      }
    }
  }

  @Test
  void aLargeRequestTakesTheBudgetAsLengthsArriveAndGivesItBackWhenHandedOn() {
    RespConfig config = RespConfig.builder().build();
    try (Decoding d = new Decoding(config)) {
      int length = 100_000;
      d.feed("*2\r\n$3\r\nSET\r\n$" + length + "\r\n");
      long expected =
          2L * RespConfig.ARGUMENT_OVERHEAD_BYTES + 3 + length - RespConfig.UNCOUNTED_REQUEST_BYTES;
      assertThat(d.server.unfinishedBytes())
          .as("taken before the bytes arrive")
          .isEqualTo(expected);
      List<String> out = d.feed("x".repeat(length) + "\r\n");
      assertThat(out).hasSize(1);
      assertThat(d.server.unfinishedBytes()).as("given back once handed on").isZero();
    }
  }

  @Test
  void aRequestCutByTheCloseGivesItsBudgetBack() {
    try (Decoding d = new Decoding(RespConfig.builder().build())) {
      d.feed("*1\r\n$200000\r\n" + "x".repeat(1000));
      assertThat(d.server.unfinishedBytes()).isPositive();
      d.ch.close();
      assertThat(d.server.unfinishedBytes()).as("given back on close").isZero();
    }
  }

  @Test
  void aRequestTheBudgetCannotTakeIsRefusedAsBudgetAndTakesNothing() {
    RespConfig config =
        RespConfig.builder().maxRequestBytes(1 << 20).maxUnfinishedRequestBytes(1 << 20).build();
    try (Decoding d = new Decoding(config)) {
      assertThat(d.server.reserveUnfinished((1 << 20) - 1000)).isTrue();
      List<String> out = d.feed(command("PING") + "*1\r\n$200000\r\n" + command("PING"));
      assertThat(out).hasSize(2);
      assertThat(out.get(1))
          .startsWith("error(budget) request refused: unfinished requests on this node would hold ")
          .endsWith(" bytes with this one (expected: <= 1048576); retry later");
      assertThat(d.server.unfinishedBytes()).isEqualTo((1 << 20) - 1000);
    }
  }

  @Test
  void emptyArraysAndBlankLinesAreSkippedAndUnbalancedQuotesRefused() {
    try (Decoding d = new Decoding(SMALL)) {
      assertThat(d.feed("*0\r\n*-1\r\n\r\n  \r\nPING\r\nSET \"a\r\nPING\r\n"))
          .containsExactly("args \"PING\"", protocol("unbalanced quotes in request"));
    }
  }
}
