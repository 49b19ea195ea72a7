package dev.meld.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns a {@link RespValue} (already in its connection's protocol, see {@link
 * RespValue#forProtocol}) into what goes on the wire. Everything RESP2 can say becomes Netty's
 * Redis messages for the {@link RedisEncoder} behind this handler; the RESP3 shapes Netty does not
 * know (map, set and verbatim headers, null) are written here as bytes, in line with the rest.
 */
final class RespValueEncoder extends MessageToMessageEncoder<RespValue> {

  RespValueEncoder() {
    super(RespValue.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, RespValue msg, List<Object> out) {
    emit(ctx.alloc(), msg, out);
  }

  /* Aggregates are flattened into their header and then their items, each its own message in
   * `out`, so that Netty's encoder writes every RESP2 part and the list keeps the order. */
  private static void emit(ByteBufAllocator alloc, RespValue value, List<Object> out) {
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
      emitAll(alloc, a.items(), out);
    } else if (value instanceof RespValue.Map m) {
      out.add(header(alloc, '%', m.size()));
      emitAll(alloc, m.entries(), out);
    } else if (value instanceof RespValue.Set s) {
      out.add(header(alloc, '~', s.items().size()));
      emitAll(alloc, s.items(), out);
    } else if (value instanceof RespValue.Null) {
      out.add(alloc.buffer(3).writeByte('_').writeByte('\r').writeByte('\n'));
    } else if (value instanceof RespValue.Verbatim v) {
      byte[] text = v.text().getBytes(StandardCharsets.UTF_8);
      ByteBuf buf = header(alloc, '=', 4L + text.length);
      ByteBufUtil.writeAscii(buf, v.format());
      buf.writeByte(':').writeBytes(text).writeByte('\r').writeByte('\n');
      out.add(buf);
    } else {
      throw new IllegalArgumentException("reply: " + value + " (expected: a RespValue shape)");
    }
  }

  private static void emitAll(ByteBufAllocator alloc, List<RespValue> items, List<Object> out) {
    for (RespValue item : items) {
      emit(alloc, item, out);
    }
  }

  private static ByteBuf header(ByteBufAllocator alloc, char type, long length) {
    ByteBuf buf = alloc.buffer(24);
    buf.writeByte(type);
    ByteBufUtil.writeAscii(buf, Long.toString(length));
    return buf.writeByte('\r').writeByte('\n');
  }
}
