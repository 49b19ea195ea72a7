package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.node.store.Props;
import dev.meld.node.testing.NoLeaks;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RespRequestDecoder} against the pipeline it replaced ({@link NettyRequestPipeline}:
 * Netty's {@code RedisDecoder}, the old request guard, the aggregators).
 *
 * <p>Law: for any stream of bytes (well-formed requests, inline commands, RESP values that are not
 * requests, lengths over every limit, requests the node-wide budget cannot take, and all of these
 * corrupted), split into reads of any sizes, under any limits, with or without a password still
 * owed, the new decoder hands on exactly the requests the old pipeline handed on, with the same
 * arguments, in the same order, and then the same refusal (reason and text), or none when the old
 * pipeline had none; nothing comes after a refusal; and both give back every byte they took from
 * the budget once the connection closes.
 *
 * <p>Each example is drawn from a seed (QuickTheories; {@code -Dmeld.props.examples}, a failure
 * prints the seed and the command that replays it).
 */
@ExtendWith(NoLeaks.class)
class RespRequestDecoderDifferentialTest {

  @Test
  void decodesEveryStreamAsTheNettyPipelineDid() {
    Props.check(
        "RespRequestDecoderDifferentialTest#decodesEveryStreamAsTheNettyPipelineDid",
        qt ->
            qt.forAll(longs().all()).checkAssert(RespRequestDecoderDifferentialTest::sameAsNetty));
  }

  /** Streams that end in each of Netty's stranger refusals, whole and a byte at a time. */
  @Test
  void netty_sOddCasesAreKept() {
    String[] inputs = {
      "\n\n",
      "*\n\n",
      "$\nx",
      "+\n\n",
      "PING\r\n\nX",
      "*12345678901234567890\r",
      "*-1234567890123456789\r",
      "*1234567890123456789\r\n",
      "*9999999999999999999\r\n",
      "$9999999999\r\n",
      "*-\r\n",
      "*\r\n",
      "*--1\r\n",
      ":\r\n",
      ":12a\r\n",
      "*1\r\n:x\r\n",
      "*1\r\n\r\n",
      "*1\r\n\u00e9x\r\n",
      "$0\r\nab",
      "*1\r\n$0\r\nab",
      "*2\r\n$0\r\n\r\n$1\r\n",
      "*1\r\n*0\r\n",
      "*1\r\n*-2\r\n",
      "$-1\r\n",
      "$0\r\n\r\n",
      "*1\r\n$1\r\nab\r\n",
      "*0\r\n*-1\r\nPING\r\n",
      "a\rb\r\n",
      "\u00ff\u00fe\r\n",
      "PING\n",
      "SET 'a'b c\r\n",
      "*1\r\n+OK\r\n",
      "*1\r\n-ERR\r\n",
    };
    RespConfig config = RespConfig.builder().maxInlineBytes(16).build();
    for (String input : inputs) {
      byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
      List<byte[]> whole = List.of(bytes);
      List<byte[]> singles = new ArrayList<>();
      for (byte b : bytes) {
        singles.add(new byte[] {b});
      }
      for (List<byte[]> reads : List.of(whole, singles)) {
        Sides sides = new Sides(config, 0);
        assertThat(sides.newer(reads))
            .as("%s in %s reads", input, reads.size())
            .isEqualTo(sides.older(reads));
      }
    }
  }

  /** One example: a config, a stream and its reads from {@code seed}, both decoders compared. */
  static void sameAsNetty(long seed) {
    Random r = new Random(seed);
    boolean big = r.nextInt(8) == 0;
    RespConfig.Builder b =
        RespConfig.builder()
            .maxBulkBytes(big ? 200_000 : 1 + r.nextInt(64))
            .maxArrayLength(1 + r.nextInt(big ? 4 : 12))
            .maxInlineBytes(4 + r.nextInt(60))
            .maxRequestBytes(big ? 400_000 : 33 + r.nextInt(600))
            .maxUnfinishedRequestBytes(big ? 400_000 : 1 << 20);
    if (r.nextInt(5) == 0) {
      b.password("secret"); // never given here: Redis' limits for a client yet to authenticate
    }
    RespConfig config = b.build();
    long taken = big ? 400_000 - 60_000 - r.nextInt(200_000) : 0;
    byte[] stream = stream(r, config, big);
    List<byte[]> reads = split(r, stream);
    Sides sides = new Sides(config, taken);
    List<String> expected = sides.older(reads);
    List<String> actual = sides.newer(reads);
    assertThat(actual)
        .as("seed %s, stream %s", seed, NettyRequestPipeline.args(List.of(stream)))
        .isEqualTo(expected);
  }

  /** The same config and budget, taken as much of it, for each side. */
  private static final class Sides {
    final RespConfig config;
    final long taken;

    Sides(RespConfig config, long taken) {
      this.config = config;
      this.taken = taken;
    }

    List<String> older(List<byte[]> reads) {
      ServerContext server = server();
      EmbeddedChannel ch = new EmbeddedChannel();
      List<String> out = NettyRequestPipeline.outcomes(ch, config, client(server, ch), reads);
      assertThat(server.unfinishedBytes()).as("budget after the old pipeline").isEqualTo(taken);
      return out;
    }

    List<String> newer(List<byte[]> reads) {
      ServerContext server = server();
      EmbeddedChannel ch = new EmbeddedChannel();
      ch.pipeline().addLast(new RespRequestDecoder(config, client(server, ch)));
      List<String> out = new ArrayList<>();
      boolean refused = false;
      for (byte[] read : reads) {
        ch.writeInbound(Unpooled.wrappedBuffer(read));
        for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
          assertThat(refused).as("%s after a refusal", msg).isFalse();
          out.add(NettyRequestPipeline.decoded(msg));
          refused = msg instanceof RequestGuard.ProtocolError;
        }
      }
      NettyRequestPipeline.close(ch);
      assertThat(server.unfinishedBytes()).as("budget after the new decoder").isEqualTo(taken);
      return out;
    }

    private ServerContext server() {
      ServerContext server = new ServerContext(config, new FakeGateway(), RespMetrics.NOOP);
      assertThat(taken == 0 || server.reserveUnfinished(taken)).isTrue();
      return server;
    }

    private static Client client(ServerContext server, EmbeddedChannel ch) {
      return new Client(server, "test:1", "test", "local:2", ch.eventLoop());
    }
  }

  /** RESP values that are not requests, lengths at Netty's edges, blank lines. */
  private static final String[] ODD = {
    "*0\r\n",
    "*-1\r\n",
    "$3\r\nfoo\r\n",
    "+OK\r\n",
    "-ERR x\r\n",
    ":12\r\n",
    ":abc\r\n",
    "*-2\r\n",
    "$-2\r\n",
    "$-1\r\n",
    "$0\r\n\r\n",
    "*99999999999999999999\r\n",
    "*1\r\n$-1\r\n",
    "*1\r\n*1\r\n$1\r\na\r\n",
    "\r\n",
    "   \r\n",
    "\n",
    "*1\r\n:1\r\n",
    "*2\r\n$1\r\na\r\nPING\r\n",
    "$600000000\r\n",
    "*1\r\n$600000000\r\n",
    "*-\r\n",
    "*\r\n",
    "*3\r\n",
  };

  private static byte[] stream(Random r, RespConfig config, boolean big) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pieces = 1 + r.nextInt(10);
    for (int p = 0; p < pieces; p++) {
      switch (r.nextInt(10)) {
        case 0, 1, 2, 3 -> array(r, config, big, out);
        case 4, 5 -> inline(r, config, out);
        case 6, 7 ->
            out.writeBytes(ODD[r.nextInt(ODD.length)].getBytes(StandardCharsets.ISO_8859_1));
        default -> garbage(r, out);
      }
    }
    byte[] bytes = out.toByteArray();
    if (bytes.length > 0 && r.nextInt(4) == 0) {
      int mutations = 1 + r.nextInt(3);
      for (int i = 0; i < mutations; i++) {
        String alphabet = "*$+-:\r\n0123456789 \"'\\x\u00ff";
        bytes[r.nextInt(bytes.length)] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
      }
    }
    if (bytes.length > 0 && r.nextInt(6) == 0) {
      bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
    }
    return bytes;
  }

  private static void array(Random r, RespConfig config, boolean big, ByteArrayOutputStream out) {
    int n = r.nextInt(config.maxArrayLength() + 3);
    write(out, "*" + n + "\r\n");
    for (int i = 0; i < n; i++) {
      int max = Math.min(config.maxBulkBytes(), 70);
      int length = big && r.nextInt(3) == 0 ? r.nextInt(220_000) : r.nextInt(max + 3);
      write(out, "$" + length + "\r\n");
      for (int j = 0; j < length; j++) {
        out.write(r.nextInt(8) == 0 ? "\r\n\0\u00ff".charAt(r.nextInt(4)) : 'a' + r.nextInt(26));
      }
      write(out, "\r\n");
    }
  }

  private static void inline(Random r, RespConfig config, ByteArrayOutputStream out) {
    int words = r.nextInt(5);
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < words; i++) {
      line.append(" \t".charAt(r.nextInt(2)));
      String[] forms = {
        "GET",
        "\"a b\"",
        "'it''s'",
        "\"\\x4G\\x41\\n\"",
        "'x\\'y'",
        "\"open",
        "'open",
        "\"q\"x",
        "caf\u00c3\u00a9",
        "\u00ff\u00fe",
        "k" + r.nextInt(1000),
        "\"\\\\\"",
        "x".repeat(r.nextInt(40))
      };
      line.append(forms[r.nextInt(forms.length)]);
    }
    write(out, line + (r.nextInt(10) == 0 ? "\n" : "\r\n"));
  }

  private static void garbage(Random r, ByteArrayOutputStream out) {
    String alphabet = "*$+-:\r\n\r\n0123456789  \"'\\xa\u00ff\0";
    int n = r.nextInt(30);
    for (int i = 0; i < n; i++) {
      out.write(alphabet.charAt(r.nextInt(alphabet.length())));
    }
  }

  /** Reads of one size, or of random sizes up to a few bytes, a few dozen, or 64 KiB. */
  private static List<byte[]> split(Random r, byte[] stream) {
    int mode = r.nextInt(5);
    List<byte[]> reads = new ArrayList<>();
    for (int at = 0; at < stream.length; ) {
      int n =
          switch (mode) {
            case 0 -> 1;
            case 1 -> 1 + r.nextInt(4);
            case 2 -> 1 + r.nextInt(40);
            case 3 -> 1 + r.nextInt(65536);
            default -> stream.length;
          };
      n = Math.min(n, stream.length - at);
      reads.add(java.util.Arrays.copyOfRange(stream, at, at + n));
      at += n;
    }
    return reads;
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
