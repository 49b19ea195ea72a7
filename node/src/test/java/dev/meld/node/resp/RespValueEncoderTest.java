package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import dev.meld.node.testing.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.RedisEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every reply shape, byte for byte, in RESP2 and in RESP3. */
@ExtendWith(NoLeaks.class)
class RespValueEncoderTest {

  private static String encode(RespValue value, int protocol) {
    EmbeddedChannel ch = new EmbeddedChannel(new RedisEncoder(), new RespValueEncoder());
    ch.writeOutbound(value.forProtocol(protocol));
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
}
