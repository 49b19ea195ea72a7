package dev.meld.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a {@link RespValue} (already in its connection's protocol, see {@link
 * RespValue#forProtocol}) as RESP bytes straight into one buffer: RESP2's simple strings, errors,
 * integers, bulk strings (null ones as {@code $-1}) and arrays, and RESP3's map {@code %}, set
 * {@code ~}, null {@code _} and verbatim {@code =}. Text is written as UTF-8; a status or error
 * line cannot hold CR or LF ({@link RespValue} replaces them). The commonest replies ({@code +OK},
 * {@code :0} to {@code :}{@value #CACHED_INTEGERS}) are copied from shared bytes. A streamed reply
 * ({@link RespValue.Stream}) never comes here: {@link StreamedReply} writes it a chunk at a time.
 */
@Sharable
final class RespValueEncoder extends MessageToByteEncoder<RespValue> {

  /** Integer replies from 0 up to this many are written from shared bytes. */
  static final int CACHED_INTEGERS = 1024;

  /** CR then LF, as the big-endian short {@link ByteBuf#writeShort} writes. */
  private static final int CRLF = ('\r' << 8) | '\n';

  private static final byte[] OK = ascii("+OK\r\n");
  private static final byte[] NULL_BULK = ascii("$-1\r\n");
  private static final byte[] NULL = ascii("_\r\n");
  private static final byte[][] INTEGERS = new byte[CACHED_INTEGERS + 1][];

  static {
    for (int i = 0; i <= CACHED_INTEGERS; i++) {
      INTEGERS[i] = ascii(":" + i + "\r\n");
    }
  }

  /** A connection's pipeline shares this one: the encoder keeps no state. */
  static final RespValueEncoder INSTANCE = new RespValueEncoder();

  private RespValueEncoder() {
    super(RespValue.class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, RespValue msg, boolean preferDirect) {
    int size =
        msg instanceof RespValue.Bulk b
            ? b.value().length() + 16
            : msg instanceof RespValue.Simple || msg instanceof RespValue.Int ? 32 : 256;
    return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, RespValue msg, ByteBuf out) {
    write(msg, out);
  }

  /** Appends {@code value}'s RESP bytes to {@code out}. */
  static void write(RespValue value, ByteBuf out) {
    if (value instanceof RespValue.Simple s) {
      if (s == RespValue.Simple.OK) {
        out.writeBytes(OK);
      } else {
        line(out, '+', s.text());
      }
    } else if (value instanceof RespValue.Error e) {
      line(out, '-', e.message());
    } else if (value instanceof RespValue.Int i) {
      long n = i.value();
      if (n >= 0 && n <= CACHED_INTEGERS) {
        out.writeBytes(INTEGERS[(int) n]);
      } else {
        header(out, ':', n);
      }
    } else if (value instanceof RespValue.Bulk b) {
      header(out, '$', b.value().length());
      out.writeBytes(b.value().toByteArray()).writeShort(CRLF);
    } else if (value instanceof RespValue.NullBulk) {
      out.writeBytes(NULL_BULK);
    } else if (value instanceof RespValue.Array a) {
      header(out, '*', a.items().size());
      writeAll(a.items(), out);
    } else if (value instanceof RespValue.Map m) {
      header(out, '%', m.size());
      writeAll(m.entries(), out);
    } else if (value instanceof RespValue.Set s) {
      header(out, '~', s.items().size());
      writeAll(s.items(), out);
    } else if (value instanceof RespValue.Null) {
      out.writeBytes(NULL);
    } else if (value instanceof RespValue.Verbatim v) {
      byte[] text = v.text().getBytes(StandardCharsets.UTF_8);
      header(out, '=', 4L + text.length);
      ByteBufUtil.writeAscii(out, v.format());
      out.writeByte(':').writeBytes(text).writeShort(CRLF);
    } else {
      throw new IllegalArgumentException("reply: " + value + " (expected: a RespValue shape)");
    }
  }

  private static void writeAll(List<RespValue> items, ByteBuf out) {
    for (RespValue item : items) {
      write(item, out);
    }
  }

  private static void line(ByteBuf out, char type, String text) {
    out.writeByte(type);
    ByteBufUtil.writeUtf8(out, text);
    out.writeShort(CRLF);
  }

  private static void header(ByteBuf out, char type, long length) {
    out.writeByte(type);
    ByteBufUtil.writeAscii(out, Long.toString(length));
    out.writeShort(CRLF);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
