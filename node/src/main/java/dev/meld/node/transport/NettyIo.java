package dev.meld.node.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The mesh's threads and socket flavour: native epoll where it is available and wanted, NIO
 * otherwise, on one event-loop group that both accepts and carries connections.
 */
final class NettyIo implements AutoCloseable {

  /**
   * Netty stops a channel being writable past the high mark and resumes below the low one; a link
   * stops moving its queue into the channel meanwhile, so at most about the high mark (plus one
   * frame) sits in Netty's buffer per connection, on top of the peer's bounded queue.
   */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 << 10, 1 << 20);

  private final boolean epoll;
  private final EventLoopGroup group;
  private final List<EventLoop> loops = new ArrayList<>();

  NettyIo(int threads, boolean preferNative, String nodeName) {
    this.epoll = preferNative && Epoll.isAvailable();
    IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("meld-mesh-" + nodeName, true), handlers);
    group.forEach(executor -> loops.add((EventLoop) executor));
  }

  /** Whether the sockets are native epoll ones. */
  boolean epoll() {
    return epoll;
  }

  /**
   * The loop the links to {@code peer} live on: always the same one, so that the closing of a
   * removed peer's link runs before anything a re-added link for that peer does.
   */
  EventLoop loopFor(String peer) {
    return loops.get(Math.floorMod(peer.hashCode(), loops.size()));
  }

  /** Binds the mesh port; {@code init} sets up each accepted connection. */
  ChannelFuture bind(InetSocketAddress address, Consumer<Channel> init) {
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    return new ServerBootstrap()
        .group(group)
        .channel(type)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(initializer(init))
        .bind(address);
  }

  /** Dials {@code address} from {@code loop}; {@code init} sets up the connection. */
  ChannelFuture connect(
      EventLoop loop, InetSocketAddress address, int timeoutMillis, Consumer<Channel> init) {
    return new Bootstrap()
        .group(loop)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .handler(initializer(init))
        .connect(address);
  }

  private static ChannelInitializer<Channel> initializer(Consumer<Channel> init) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        init.accept(channel);
      }
    };
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    group.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
