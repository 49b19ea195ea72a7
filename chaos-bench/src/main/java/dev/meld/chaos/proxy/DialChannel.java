package dev.meld.chaos.proxy;

import io.netty.channel.socket.nio.NioSocketChannel;

/** A socket the proxy opens to an upstream, which tells when it is really closed. */
final class DialChannel extends NioSocketChannel implements ReleasableSocket {

  @Override
  public boolean released() {
    return !javaChannel().isOpen() && !javaChannel().isRegistered();
  }
}
