package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's side of the API: turns an aggregated HTTP request into a {@link ToxiproxyApi} call and
 * its response back into HTTP. The call runs on the API's own thread, never on a socket loop,
 * because API calls wait for listeners to bind and for connections to apply changes; one thread
 * also applies requests one at a time, in order.
 */
final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHttpHandler.class);

  private final ToxiproxyApi api;
  private final Executor apiThread;

  ApiHttpHandler(ToxiproxyApi api, Executor apiThread) {
    this.api = api;
    this.apiThread = apiThread;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean wellFormed = request.decoderResult().isSuccess();
    boolean keepAlive = wellFormed && HttpUtil.isKeepAlive(request);
    String method = request.method().name();
    String uri = request.uri();
    String userAgent = request.headers().get(HttpHeaderNames.USER_AGENT);
    byte[] body = ByteBufUtil.getBytes(request.content());
    String malformed = wellFormed ? null : String.valueOf(request.decoderResult().cause());
    try {
      apiThread.execute(
          () -> {
            ToxiproxyApi.Response response =
                malformed == null
                    ? api.handle(method, uri, userAgent, body)
                    : ToxiproxyApi.error(400, "malformed HTTP request: " + malformed);
            write(ctx, response, keepAlive);
          });
    } catch (RejectedExecutionException shuttingDown) {
      ctx.close();
    }
  }

  private static void write(
      ChannelHandlerContext ctx, ToxiproxyApi.Response response, boolean keepAlive) {
    HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
    FullHttpResponse http =
        response.body() == null
            ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER)
            : new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(Json.bytes(response.body())));
    if (response.body() != null) {
      http.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    HttpUtil.setContentLength(http, http.content().readableBytes());
    HttpUtil.setKeepAlive(http, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(http);
    } else {
      ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("fault proxy API: connection failed", cause);
    ctx.close();
  }
}
