package dev.meld.node.admin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds an admin connection to the port's connection cap and to a deadline for each request: from
 * the connection's start (or the previous response) the whole request must have arrived within
 * {@link AdminConfig#requestTimeoutMillis()}. A read timeout would not do: a slowloris client that
 * sends one byte now and then never lets it fire. Sits after the HTTP aggregator, so it sees whole
 * requests going in and responses going out.
 */
final class RequestDeadline extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

  private final AdminConfig config;
  private final AtomicInteger open;
  private final AdminRefusals refusals;
  private boolean admitted;
  private ScheduledFuture<?> deadline;

  /**
   * @param open the port's count of admitted connections, shared by all of them
   */
  RequestDeadline(AdminConfig config, AtomicInteger open, AdminRefusals refusals) {
    this.config = config;
    this.open = open;
    this.refusals = refusals;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > config.maxConnections()) {
      open.decrementAndGet();
      refusals.count("connections");
      log.debug(
          "admin connection {} refused: {} open (expected: <= {})",
          ctx.channel().remoteAddress(),
          config.maxConnections(),
          config.maxConnections());
      ctx.close();
      return;
    }
    admitted = true;
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    if (admitted) {
      admitted = false;
      open.decrementAndGet();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest) {
      disarm(); // answered at its own pace; the next request's clock starts with the response
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse) {
      promise.addListener(
          (ChannelFutureListener)
              f -> {
                if (f.channel().isActive()) {
                  arm(ctx);
                }
              });
    }
    ctx.write(msg, promise);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  refusals.count("timeout");
                  log.debug(
                      "admin connection {} closed: no whole request within {} ms",
                      ctx.channel().remoteAddress(),
                      config.requestTimeoutMillis());
                  ctx.close();
                },
                config.requestTimeoutMillis(),
                TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
