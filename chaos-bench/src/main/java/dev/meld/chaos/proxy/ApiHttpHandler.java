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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's side of the API: turns an aggregated HTTP request into a {@link ToxiproxyApi} call and
 * its response back into HTTP. It runs on the API's own single thread, never on a socket loop,
 * because API calls wait for listeners to bind and for connections to apply changes.
 */
final class ApiHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHttpHandler.class);

  private final ToxiproxyApi api;

  ApiHttpHandler(ToxiproxyApi api) {
    this.api = api;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    ToxiproxyApi.Response response;
    if (!request.decoderResult().isSuccess()) {
      response = malformed(request);
    } else {
      response =
          api.handle(
              request.method().name(),
              request.uri(),
              request.headers().get(HttpHeaderNames.USER_AGENT),
              ByteBufUtil.getBytes(request.content()));
    }
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
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpUtil.setKeepAlive(http, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(http);
    } else {
      ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static ToxiproxyApi.Response malformed(FullHttpRequest request) {
    var error = Json.object();
    error.put("error", "malformed HTTP request: " + request.decoderResult().cause().getMessage());
    error.put("status", 400);
    return new ToxiproxyApi.Response(400, error);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("fault proxy API: request failed", cause);
    ctx.close();
  }
}
