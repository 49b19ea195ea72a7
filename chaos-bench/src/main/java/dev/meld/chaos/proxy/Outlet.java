package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;

/** Where the bytes of one direction of a connection go next: the next stage, or the socket. */
interface Outlet {

  /** Passes a chunk on; the receiver owns it from now on and must release it. */
  void data(ByteBuf chunk);

  /** The stream ends here: after the data already passed, the connection closes. */
  void end();
}
