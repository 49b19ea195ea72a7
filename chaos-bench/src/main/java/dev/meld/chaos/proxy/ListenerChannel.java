package dev.meld.chaos.proxy;

import io.netty.channel.socket.nio.NioServerSocketChannel;

/** A proxy's listening socket, which tells when its port is really given up. */
final class ListenerChannel extends NioServerSocketChannel implements ReleasableSocket {

  @Override
  public boolean released() {
    return !javaChannel().isOpen() && !javaChannel().isRegistered();
  }
}
