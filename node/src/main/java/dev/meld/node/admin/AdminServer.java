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
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP port: {@code /health}, {@code /ready}, {@code /metrics} (see {@link
 * AdminHandler}). One event loop thread; requests are small (a body over {@value #MAX_BODY_BYTES}
 * bytes gets 413), and an idle connection is closed after {@value #IDLE_SECONDS} seconds. Binds to
 * loopback unless configured otherwise.
 */
public final class AdminServer implements AutoCloseable {

  /** Largest request body accepted; the routes take none. */
  static final int MAX_BODY_BYTES = 1024;

  static final int IDLE_SECONDS = 30;

  private final EventLoopGroup group;
  private final Channel channel;

  private AdminServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds {@code bind} and serves {@code view}; {@code metrics} is scraped on {@code /metrics}
   * after {@code nodeMetrics} has registered meters for new peers.
   *
   * @throws java.io.UncheckedIOException wrapping the bind failure (for example the port is taken)
   */
  public static AdminServer start(
      InetSocketAddress bind,
      NodeView view,
      PrometheusMeterRegistry metrics,
      NodeMetrics nodeMetrics) {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(nodeMetrics, "nodeMetrics");
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
                        .addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                        .addLast(
                            new AdminHandler(
                                view,
                                () -> {
                                  nodeMetrics.refresh();
                                  return metrics.scrape();
                                }));
                  }
                })
            .bind(bind)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw NettyTransports.bindFailure("admin", bind, bound.cause());
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
