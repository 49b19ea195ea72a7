package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import dev.meld.node.testing.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every reply shape, byte for byte, in RESP2 and in RESP3; and every RESP2 reply as Netty's {@code
 * RedisEncoder} wrote it before the encoder wrote bytes itself.
 */
@ExtendWith(NoLeaks.class)
class RespValueEncoderTest {

  private static String encode(RespValue value, int protocol) {
    return written(new EmbeddedChannel(RespValueEncoder.INSTANCE), value.forProtocol(protocol));
  }

  /** What {@code ch} writes for {@code message}, as ISO-8859-1. */
  private static String written(EmbeddedChannel ch, Object message) {
    ch.writeOutbound(message);
    StringBuilder sb = new StringBuilder();
    for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
      sb.append(buf.toString(StandardCharsets.ISO_8859_1));
      buf.release();
    }
    assertThat(ch.finish()).isFalse();
    return sb.toString();
  }

  private static void both(RespValue value, String resp2, String resp3) {
    assertThat(encode(value, 2)).as("RESP2").isEqualTo(resp2);
    assertThat(encode(value, 3)).as("RESP3").isEqualTo(resp3);
  }

  private static RespValue bulk(String s) {
    return RespValue.Bulk.of(s);
  }

  @Test
  void scalarsAreTheSameInBothProtocols() {
    both(RespValue.Simple.OK, "+OK\r\n", "+OK\r\n");
    both(new RespValue.Error("ERR no"), "-ERR no\r\n", "-ERR no\r\n");
    both(new RespValue.Int(-42), ":-42\r\n", ":-42\r\n");
    both(
        new RespValue.Int(Long.MIN_VALUE),
        ":-9223372036854775808\r\n",
        ":-9223372036854775808\r\n");
    both(
        bulk("hé"),
        "$3\r\nhé\r\n".replace("é", "\u00c3\u00a9"),
        "$3\r\nhé\r\n".replace("é", "\u00c3\u00a9"));
    both(new RespValue.Bulk(Bytes.EMPTY), "$0\r\n\r\n", "$0\r\n\r\n");
    both(
        new RespValue.Bulk(Bytes.of((byte) 0, (byte) '\r', (byte) '\n', (byte) 0xff)),
        "$4\r\n\0\r\n\u00ff\r\n",
        "$4\r\n\0\r\n\u00ff\r\n");
  }

  @Test
  void nullIsANullBulkInResp2AndUnderscoreInResp3() {
    both(RespValue.Null.INSTANCE, "$-1\r\n", "_\r\n");
  }

  @Test
  void arraysNestAndCarryResp3ShapesInside() {
    RespValue value =
        RespValue.Array.of(
            bulk("a"),
            RespValue.Array.EMPTY,
            new RespValue.Set(List.of(new RespValue.Simple("x"))),
            RespValue.Null.INSTANCE);
    both(
        value,
        "*4\r\n$1\r\na\r\n*0\r\n*1\r\n+x\r\n$-1\r\n",
        "*4\r\n$1\r\na\r\n*0\r\n~1\r\n+x\r\n_\r\n");
  }

  @Test
  void mapsAreFlatArraysInResp2() {
    RespValue map =
        new RespValue.Map(List.of(bulk("k1"), new RespValue.Int(1), bulk("k2"), bulk("v")));
    both(
        map,
        "*4\r\n$2\r\nk1\r\n:1\r\n$2\r\nk2\r\n$1\r\nv\r\n",
        "%2\r\n$2\r\nk1\r\n:1\r\n$2\r\nk2\r\n$1\r\nv\r\n");
    both(new RespValue.Map(List.of()), "*0\r\n", "%0\r\n");
  }

  @Test
  void verbatimStringsCountTheirFormatPrefix() {
    both(
        new RespValue.Verbatim("txt", "# Server\r\nx:1\r\n"),
        "$15\r\n# Server\r\nx:1\r\n\r\n",
        "=19\r\ntxt:# Server\r\nx:1\r\n\r\n");
  }

  @Test
  void statusAndErrorLinesCannotBreakTheFraming() {
    both(new RespValue.Error("ERR a\r\nb"), "-ERR a  b\r\n", "-ERR a  b\r\n");
    both(new RespValue.Simple("x\ny"), "+x y\r\n", "+x y\r\n");
  }

  @Test
  void badShapesAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> new RespValue.Map(List.of(bulk("lonely key"))))
        .hasMessage("map entries: 1 (expected: an even number, keys and values)");
    assertThatThrownBy(() -> new RespValue.Verbatim("text", "x"))
        .hasMessage("verbatim format: 'text' (expected: 3 characters)");
  }

  @Test
  void everyShapeInBothProtocols() {
    both(RespValue.NullBulk.INSTANCE, "$-1\r\n", "$-1\r\n");
    both(new RespValue.Simple("PONG"), "+PONG\r\n", "+PONG\r\n");
    both(new RespValue.Simple("h\u00e9"), "+h\u00c3\u00a9\r\n", "+h\u00c3\u00a9\r\n");
    both(new RespValue.Error("ERR \ud800"), "-ERR ?\r\n", "-ERR ?\r\n");
    both(new RespValue.Set(List.of()), "*0\r\n", "~0\r\n");
    both(RespValue.Array.EMPTY, "*0\r\n", "*0\r\n");
    both(
        new RespValue.Verbatim("mkd", "h\u00e9"),
        "$3\r\nh\u00c3\u00a9\r\n",
        "=7\r\nmkd:h\u00c3\u00a9\r\n");
    both(
        new RespValue.Map(List.of(bulk("k"), RespValue.Null.INSTANCE)),
        "*2\r\n$1\r\nk\r\n$-1\r\n",
        "%1\r\n$1\r\nk\r\n_\r\n");
  }

  @Test
  void integersFromSharedBytesAndWrittenOutAreTheSame() {
    for (long n :
        new long[] {
          0,
          1,
          9,
          10,
          127,
          128,
          1023,
          RespValueEncoder.CACHED_INTEGERS,
          RespValueEncoder.CACHED_INTEGERS + 1,
          -1,
          -1024,
          Long.MAX_VALUE,
          Long.MIN_VALUE
        }) {
      both(new RespValue.Int(n), ":" + n + "\r\n", ":" + n + "\r\n");
    }
  }

  @Test
  void okFromSharedBytesAndAnEqualOkAreTheSame() {
    both(new RespValue.Simple("OK"), "+OK\r\n", "+OK\r\n");
    both(RespValue.Simple.OK, "+OK\r\n", "+OK\r\n");
  }

  /** Law: any RESP2 reply is written exactly as Netty's RedisEncoder wrote its messages. */
  @Test
  void resp2RepliesAreTheBytesNettyWrote() {
    Random r = new Random(16);
    for (int i = 0; i < 2000; i++) {
      RespValue value = randomValue(r, 3).forProtocol(2);
      StringBuilder expected = new StringBuilder();
      for (Object message : nettyMessages(value, new ArrayList<>())) {
        expected.append(written(new EmbeddedChannel(new RedisEncoder()), message));
      }
      assertThat(encode(value, 2)).as("%s", value).isEqualTo(expected.toString());
    }
  }

  private static RespValue randomValue(Random r, int depth) {
    switch (r.nextInt(depth > 0 ? 11 : 6)) {
      case 0:
        return new RespValue.Simple(randomText(r) + (r.nextBoolean() ? "\ud800" : ""));
      case 1:
        return new RespValue.Error("ERR " + randomText(r) + (r.nextBoolean() ? "\udc00" : ""));
      case 2:
        return new RespValue.Int(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(2100) - 50);
      case 3:
        return RespValue.Bulk.of(randomText(r));
      case 4:
        return RespValue.NullBulk.INSTANCE;
      case 5:
        return RespValue.Null.INSTANCE;
      case 6:
        return new RespValue.Verbatim("txt", randomText(r));
      default:
        List<RespValue> items = new ArrayList<>();
        int n = r.nextInt(4) * 2;
        for (int j = 0; j < n; j++) {
          items.add(randomValue(r, depth - 1));
        }
        return switch (r.nextInt(3)) {
          case 0 -> new RespValue.Array(items);
          case 1 -> new RespValue.Set(items);
          default -> new RespValue.Map(items);
        };
    }
  }

  private static String randomText(Random r) {
    String alphabet = "abc XYZ\r\n\u00e9\u20ac\0";
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** The Netty messages the encoder made of a RESP2 reply before, in order. */
  private static List<Object> nettyMessages(RespValue value, List<Object> out) {
    if (value instanceof RespValue.Simple s) {
      out.add(new SimpleStringRedisMessage(s.text()));
    } else if (value instanceof RespValue.Error e) {
      out.add(new ErrorRedisMessage(e.message()));
    } else if (value instanceof RespValue.Int i) {
      out.add(new IntegerRedisMessage(i.value()));
    } else if (value instanceof RespValue.Bulk b) {
      out.add(new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(b.value().toByteArray())));
    } else if (value instanceof RespValue.NullBulk) {
      out.add(FullBulkStringRedisMessage.NULL_INSTANCE);
    } else if (value instanceof RespValue.Array a) {
      out.add(new ArrayHeaderRedisMessage(a.items().size()));
      for (RespValue item : a.items()) {
        nettyMessages(item, out);
      }
    } else {
      throw new AssertionError("not RESP2: " + value);
    }
    return out;
  }
}
