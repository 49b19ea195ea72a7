package dev.meld.node.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/** Netty's native epoll transport where it loads (Linux), NIO elsewhere. */
public final class NettyTransports {

  private NettyTransports() {}

  /** Whether the native epoll transport is in use. */
  public static boolean nativeEpoll() {
    return Epoll.isAvailable();
  }

  /** An event loop group of {@code threads} daemon threads named {@code name-N}. */
  public static EventLoopGroup eventLoopGroup(int threads, String name) {
    IoHandlerFactory io = nativeEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
  }

  /**
   * A clear exception for a port that could not be bound: {@code "admin port 127.0.0.1:9379:
   * Address already in use"}.
   */
  public static UncheckedIOException bindFailure(
      String port, InetSocketAddress address, Throwable cause) {
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    IOException io = cause instanceof IOException e ? e : new IOException(reason, cause);
    return new UncheckedIOException(
        port + " port " + address.getHostString() + ":" + address.getPort() + ": " + reason, io);
  }

  /** The server channel type matching {@link #eventLoopGroup}. */
  public static Class<? extends ServerChannel> serverChannel() {
    return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
