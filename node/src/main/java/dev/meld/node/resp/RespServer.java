package dev.meld.node.resp;

import dev.meld.node.server.CommandGateway;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's client port: a Netty server speaking RESP2 and RESP3 (after {@code HELLO 3}) that
 * translates Redis commands into {@link dev.meld.node.command.Command}s for a {@link
 * CommandGateway} and its replies back. It holds no replication logic. {@code redis-cli}, Lettuce,
 * Jedis and {@code redis-benchmark} talk to it; see {@code node/README.md}, "Client port (RESP)".
 */
public final class RespServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RespServer.class);

  private final ServerContext context;
  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final ChannelGroup clients;

  private RespServer(
      ServerContext context, EventLoopGroup group, Channel serverChannel, ChannelGroup clients) {
    this.context = context;
    this.group = group;
    this.serverChannel = serverChannel;
    this.clients = clients;
  }

  /**
   * Listens on {@code config.bindAddress()} and serves clients until {@link #close()}.
   *
   * @throws UncheckedIOException if the address cannot be bound ({@code client port 127.0.0.1:6379:
   *     Address already in use}); nothing is left running then
   */
  public static RespServer start(RespConfig config, CommandGateway gateway, RespMetrics metrics) {
    return start(config, null, gateway, metrics);
  }

  /**
   * As {@link #start(RespConfig, CommandGateway, RespMetrics)}, speaking TLS with {@code tls} (a
   * server context, see {@code tls.ClientTls}) on every connection; null for plain RESP.
   */
  public static RespServer start(
      RespConfig config, SslContext tls, CommandGateway gateway, RespMetrics metrics) {
    return listen(new ServerContext(config, gateway, metrics), config.bindAddress(), tls);
  }

  /**
   * A second listener on {@code bind} (TLS with {@code tls}, or plain for null) that shares this
   * port's client table, node-wide budget of unfinished requests and AUTH throttle: a client
   * counts once against {@code maxclients} whichever port it came in on, and a crowd of half-sent
   * requests cannot get twice the budget by splitting itself across the two ports.
   */
  public RespServer alsoListen(InetSocketAddress bind, SslContext tls) {
    return listen(context, bind, tls);
  }

  private static RespServer listen(ServerContext context, InetSocketAddress bind, SslContext tls) {
    RespConfig config = context.config;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            config.ioThreads(), new DefaultThreadFactory("meld-resp", true), io);
    ChannelGroup clients = new DefaultChannelGroup("resp-clients", GlobalEventExecutor.INSTANCE);
    RespChannelInitializer pipeline = new RespChannelInitializer(context, tls);
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(channelType)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      clients.add(ch);
                      ch.pipeline().addLast(pipeline);
                    }
                  })
              .bind(bind)
              .syncUninterruptibly()
              .channel();
      log.info(
          "RESP port listening on {} ({}{})",
          channel.localAddress(),
          epoll ? "epoll" : "nio",
          tls == null ? "" : ", TLS");
      return new RespServer(context, group, channel, clients);
    } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
      throw bindFailure(bind, e);
    }
  }

  /** {@code "client port 127.0.0.1:6379: Address already in use"}, keeping the cause. */
  private static UncheckedIOException bindFailure(InetSocketAddress address, Throwable cause) {
    String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    IOException io = cause instanceof IOException e ? e : new IOException(reason, cause);
    return new UncheckedIOException(
        "client port " + address.getHostString() + ":" + address.getPort() + ": " + reason, io);
  }

  /** Where the port listens (with the real port when the configuration asked for port 0). */
  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Clients connected now (admitted ones). */
  public int connectedClients() {
    return context.connectedClients();
  }

  /** Most clients at once ({@link RespConfig#maxClients()}). */
  public int maxClients() {
    return context.config.maxClients();
  }

  /** Whether the client table is full: a new client would be turned away now. */
  public boolean full() {
    return context.full();
  }

  /** The state the port's connections share (for tests in this package). */
  ServerContext context() {
    return context;
  }

  /** Stops listening, closes every client connection and stops the port's threads. */
  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    clients.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
