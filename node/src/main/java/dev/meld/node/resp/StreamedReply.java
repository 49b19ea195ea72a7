package dev.meld.node.resp;

import dev.meld.crdt.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;

/**
 * Writes one {@link RespValue.Stream}: its header, then its elements a chunk at a time while the
 * channel takes output, so that a reply of millions of members never sits whole in memory, on
 * either side of the encoder. The bytes are those the encoder would write for the same elements
 * as a {@link RespValue.Set} or {@link RespValue.Array} of bulk strings.
 */
final class StreamedReply {

  /** Elements read from the stream per chunk written. */
  static final int CHUNK = 512;

  private final RespValue.Stream value;
  private boolean started;
  private boolean finished;

  StreamedReply(RespValue.Stream value) {
    this.value = value;
  }

  /**
   * Writes and flushes up to {@code maxChunks} chunks, stopping early when the channel stops
   * taking output. The stream is closed once written whole.
   *
   * @return whether the whole reply is written
   * @throws IllegalStateException if the stream cannot go on (see {@link
   *     dev.meld.node.command.ElementStream#next}): the reply is cut, and the connection must close
   */
  boolean writeSome(ChannelHandlerContext ctx, int maxChunks) {
    if (!started) {
      started = true;
      ByteBuf header = ctx.alloc().buffer(24);
      header.writeByte(value.set() ? '~' : '*');
      ByteBufUtil.writeAscii(header, Long.toString(value.elements().count()));
      header.writeByte('\r').writeByte('\n');
      ctx.write(header);
    }
    for (int i = 0; i < maxChunks && !finished && ctx.channel().isWritable(); i++) {
      ByteBuf chunk = ctx.alloc().buffer();
      try {
        finished = !value.elements().next(CHUNK, element -> bulk(chunk, element));
      } catch (RuntimeException e) {
        chunk.release();
        throw e;
      }
      ctx.writeAndFlush(chunk);
    }
    if (finished) {
      value.elements().close();
    } else {
      ctx.flush(); // the header, when no chunk could follow it yet
    }
    return finished;
  }

  /** Closes the stream without writing the rest (the connection is gone). */
  void discard() {
    value.elements().close();
  }

  private static void bulk(ByteBuf out, Bytes element) {
    out.writeByte('$');
    ByteBufUtil.writeAscii(out, Integer.toString(element.length()));
    out.writeByte('\r').writeByte('\n');
    out.writeBytes(element.toByteArray());
    out.writeByte('\r').writeByte('\n');
  }
}
