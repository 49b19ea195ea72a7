package dev.meld.node.admin;

import dev.meld.node.server.NettyTransports;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP port: {@code /health}, {@code /ready}, {@code /metrics}, {@code POST /leave} (see
 * {@link AdminHandler}, and {@link AdminAccess} for who may do what). One event loop thread;
 * requests are small (a body over {@value #MAX_BODY_BYTES} bytes gets 413); at most {@link
 * AdminConfig#maxConnections()} connections, each closed when a request takes longer than {@link
 * AdminConfig#requestTimeoutMillis()} to arrive ({@link RequestDeadline}). Binds to loopback unless
 * configured otherwise.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Largest request body accepted; the routes take none. */
  static final int MAX_BODY_BYTES = 1024;

  private final EventLoopGroup group;
  private final Channel channel;

  private AdminServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds {@code config.bind()} and serves {@code view}; {@code metrics} is scraped on {@code
   * /metrics} after {@code nodeMetrics} has registered meters for new peers.
   *
   * @throws java.io.UncheckedIOException wrapping the bind failure (for example the port is taken)
   */
  public static AdminServer start(
      AdminConfig config,
      NodeView view,
      PrometheusMeterRegistry metrics,
      NodeMetrics nodeMetrics) {
    Objects.requireNonNull(config, "config");
    InetSocketAddress bind = config.bind();
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(nodeMetrics, "nodeMetrics");
    AdminRefusals refusals = new AdminRefusals(metrics);
    AdminAccess access = new AdminAccess(config);
    AtomicInteger open = new AtomicInteger();
    EventLoopGroup group = NettyTransports.eventLoopGroup(1, "meld-admin");
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NettyTransports.serverChannel())
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                        .addLast(new RequestDeadline(config, open, refusals))
                        .addLast(
                            new AdminHandler(
                                view,
                                () -> {
                                  nodeMetrics.refresh();
                                  return metrics.scrape();
                                },
                                access,
                                refusals));
                  }
                })
            .bind(bind)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw NettyTransports.bindFailure("admin", bind, bound.cause());
    }
    if (config.open()) {
      log.warn(
          "admin port {}: POST /leave takes no token (--admin-insecure); anyone on this host can"
              + " make the node leave",
          bound.channel().localAddress());
    } else if (config.token() == null) {
      log.info(
          "admin port {}: POST /leave is disabled (no --admin-token-file or --password)",
          bound.channel().localAddress());
    }
    return new AdminServer(group, bound.channel());
  }

  /** The address the port is bound to (the real port when 0 was asked for). */
  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
