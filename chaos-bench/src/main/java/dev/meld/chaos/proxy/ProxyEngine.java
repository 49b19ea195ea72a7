package dev.meld.chaos.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The threads and sockets shared by every proxy of one server: an acceptor loop, worker loops that
 * carry the proxied connections (each connection's two sockets on one loop), and the seeded random
 * source each new connection splits its own generator from.
 */
final class ProxyEngine implements AutoCloseable {

  /** How long to wait for a listener to bind or an upstream to answer. */
  static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;
  private final SplittableRandom seeds;

  ProxyEngine(long seed, int workerThreads) {
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads: " + workerThreads + " (expected: >= 1)");
    }
    this.acceptors =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("fault-proxy-accept", true), NioIoHandler.newFactory());
    this.workers =
        new MultiThreadIoEventLoopGroup(
            workerThreads,
            new DefaultThreadFactory("fault-proxy-io", true),
            NioIoHandler.newFactory());
    this.seeds = new SplittableRandom(seed);
  }

  EventLoopGroup acceptors() {
    return acceptors;
  }

  EventLoopGroup workers() {
    return workers;
  }

  /** A generator for one new connection, split from the server's seed. */
  synchronized SplittableRandom newRandom() {
    return seeds.split();
  }

  /**
   * Binds a proxy listener. It does not accept until its owner calls {@code
   * config().setAutoRead(true)}, so no connection arrives before the owner has published it.
   *
   * @throws ApiException 500 with the socket error, as Toxiproxy reports a failed listen
   */
  Channel bind(HostPort listen, FaultProxy owner) {
    InetSocketAddress address =
        listen.host().isEmpty()
            ? new InetSocketAddress(listen.port())
            : new InetSocketAddress(listen.host(), listen.port());
    if (address.isUnresolved()) {
      throw new ApiException(500, "listen tcp " + listen + ": no such host");
    }
    ChannelFuture bound =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel child) {
                    owner.accepted(child);
                  }
                })
            .bind(address);
    if (!bound.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
      bound.channel().close();
      throw new ApiException(500, "listen tcp " + listen + ": timed out");
    }
    if (!bound.isSuccess()) {
      throw new ApiException(500, "listen tcp " + listen + ": " + bound.cause().getMessage());
    }
    return bound.channel();
  }

  /** Connects to an upstream on {@code loop}, the loop of the client socket it will serve. */
  ChannelFuture connect(EventLoop loop, HostPort upstream, ChannelHandler handler) {
    return new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .handler(handler)
        .connect(upstream.toAddress());
  }

  @Override
  public void close() {
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    acceptors.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
