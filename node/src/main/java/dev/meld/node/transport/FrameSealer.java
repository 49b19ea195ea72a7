package dev.meld.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Appends the {@link FrameMac} tag to every frame written after {@link #start}: it sits in the
 * pipeline so that every writer (the connection, its link, its reply path) passes through it on the
 * event loop, in the order the frames go on the wire, which is the order the sequence numbers
 * count. Each message written through it is exactly one whole {@link MeshFrame}.
 */
final class FrameSealer extends ChannelOutboundHandlerAdapter {

  private FrameMac mac;

  /** Seals every frame written from now on (call on the event loop). */
  void start(FrameMac mac) {
    this.mac = mac;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (mac == null || !(msg instanceof ByteBuf frame)) {
      ctx.write(msg, promise);
      return;
    }
    int at = frame.readerIndex();
    int type = frame.getUnsignedByte(at + 3);
    int length = frame.readableBytes() - MeshFrame.HEADER_BYTES;
    byte[] tag = mac.next(type, frame, at + MeshFrame.HEADER_BYTES, length);
    CompositeByteBuf sealed = ctx.alloc().compositeBuffer(2);
    sealed.addComponents(true, frame, Unpooled.wrappedBuffer(tag));
    ctx.write(sealed, promise);
  }
}
