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
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The threads and sockets shared by every proxy of one server: an acceptor loop, worker loops that
 * carry the proxied connections (each connection's two sockets on one loop), the seeded random
 * source each new connection splits its own generator from, and every socket made on those loops,
 * which {@link #close} closes itself.
 */
final class ProxyEngine implements AutoCloseable {

  /** How long to wait for a listener to bind or an upstream to answer. */
  static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** How long {@link #close} waits for the sockets to close, then for each group of loops. */
  private static final int CLOSE_TIMEOUT_SECONDS = 5;

  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;
  private final SplittableRandom seeds;

  /** Open sockets; a socket added after {@link #close} began is closed at once. */
  private final ChannelGroup channels =
      new DefaultChannelGroup("fault-proxy", GlobalEventExecutor.INSTANCE, true);

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
                    track(child);
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
    track(bound.channel());
    return bound.channel();
  }

  /**
   * Connects to an upstream on {@code loop}, the loop of the client socket it will serve. The
   * future's channel is the socket from the start, also while the connect is under way.
   */
  ChannelFuture connect(EventLoop loop, HostPort upstream, ChannelHandler handler) {
    ChannelFuture dial =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(handler)
            .connect(upstream.toAddress());
    track(dial.channel());
    return dial;
  }

  /** Has {@link #close} close {@code channel} (a socket made on this engine's loops). */
  void track(Channel channel) {
    channels.add(channel);
  }

  /**
   * One future per worker loop, each done once its loop has run every task queued before this
   * call, such as setting up a connection the listener has just accepted.
   */
  List<Future<?>> drainWorkers() {
    List<Future<?>> drained = new ArrayList<>();
    for (EventExecutor loop : workers) {
      try {
        drained.add(loop.submit(() -> {}));
      } catch (RejectedExecutionException stopped) {
        // A stopped loop runs nothing more.
      }
    }
    return drained;
  }

  /**
   * Closes every socket, then stops the loops. The sockets are closed here rather than left to
   * Netty: with no quiet period, a loop that is busy running tasks when the shutdown begins stops
   * without closing its channels, and their sockets would stay open until the process exits.
   */
  @Override
  public void close() {
    channels.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    acceptors.terminationFuture().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
