package dev.meld.node.resp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Holds back the read requests of the handlers behind it while its connection has stopped
 * reading.
 *
 * <p>Turning {@code autoRead} off is not enough on its own: Netty's decoders (our {@link
 * RespRequestDecoder} too) ask for another read whenever a read ends inside a message (so that a handler reading one message at a
 * time still gets whole ones), and a pipelined stream almost always ends a read inside a request.
 * Without the gate a connection that "stopped reading" went on reading, request after request.
 * It sits in front of the decoders so that their requests pass through it, and behind TLS, whose
 * own reads (the handshake, the rest of a record) are bounded by one record.
 */
final class ReadGate extends ChannelOutboundHandlerAdapter {
  private boolean shut;

  /** From now on read requests from behind the gate are dropped. */
  void shut() {
    shut = true;
  }

  /** Read requests pass again; turning {@code autoRead} back on then starts the next read. */
  void open() {
    shut = false;
  }

  boolean isShut() {
    return shut;
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (!shut) {
      ctx.read();
    }
  }
}
