package dev.meld.node.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meld.node.ReplicaStatus;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import dev.meld.node.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin routes: {@code GET /health} (JSON), {@code GET /ready} (200 or 503), {@code GET
 * /metrics} (Prometheus text) and {@code POST /leave} (202 when the leave started, 409 when a leave
 * or a stop is under way; JSON either way). Other paths get 404, other methods 405; a request that
 * does not parse gets 400 and the connection is closed.
 *
 * <p>Before routing, {@link AdminAccess} refuses any request with an {@code Origin} (403); {@code
 * POST /leave} also needs the bearer token (401, or 403 when none is configured) and {@code
 * Content-Type: application/json} (415) with an empty or JSON body (400).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

  /** Refusals anyone who reaches the port can provoke: a few lines per flood, with counts. */
  private static final RateLimitedLog refusalLog = RateLimitedLog.monotonic(log, 10_000);

  static final String LEAVE = "/leave";

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeView view;
  private final Supplier<String> metrics;
  private final AdminAccess access;
  private final AdminRefusals refusals;

  AdminHandler(
      NodeView view, Supplier<String> metrics, AdminAccess access, AdminRefusals refusals) {
    this.view = view;
    this.metrics = metrics;
    this.access = access;
    this.refusals = refusals;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean head = request.method().equals(HttpMethod.HEAD);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      send(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), head, false);
      return;
    }
    AdminAccess.Refusal crossSite = access.crossSite(request);
    if (crossSite != null) {
      refuse(ctx, request, crossSite, head, keepAlive);
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException badEscape) {
      // A malformed %-escape ("/le%ave"): a bad request, not an exception that closes silently.
      send(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request: " + badEscape.getMessage() + "\n"), head, false);
      return;
    }
    boolean known = path.equals("/health") || path.equals("/ready") || path.equals("/metrics");
    HttpMethod method = request.method();
    if (path.equals(LEAVE)) {
      if (method.equals(HttpMethod.POST)) {
        AdminAccess.Refusal refusal = access.mutate(request);
        if (refusal == null) {
          refusal = jsonBody(request);
        }
        if (refusal != null) {
          refuse(ctx, request, refusal, false, keepAlive);
          return;
        }
        // Answered when the replica thread has started the leave (or refused it), never blocking
        // this event loop; the drain itself goes on after the answer.
        view.leave()
            .whenComplete(
                (outcome, error) ->
                    ctx.executor().execute(() -> send(ctx, leave(outcome, error), false, keepAlive)));
      } else {
        FullHttpResponse response =
            text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + method + " (expected: POST)\n");
        response.headers().set(HttpHeaderNames.ALLOW, "POST");
        send(ctx, response, head, keepAlive);
      }
      return;
    }
    FullHttpResponse response;
    if (!known) {
      response = text(HttpResponseStatus.NOT_FOUND, "no such path: " + path + "\n");
    } else if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      response =
          text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + method + " (expected: GET)\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    } else {
      response = route(path);
    }
    send(ctx, response, head, keepAlive);
  }

  /** A body that is not empty must be JSON: nothing else is ever meant. */
  private static AdminAccess.Refusal jsonBody(FullHttpRequest request) {
    if (request.content().readableBytes() == 0) {
      return null;
    }
    try {
      JSON.readTree(new ByteBufInputStream(request.content().duplicate()));
      return null;
    } catch (IOException e) {
      return new AdminAccess.Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "bad_body",
          "body: not JSON (expected: empty, or a JSON document)");
    }
  }

  private void refuse(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      AdminAccess.Refusal refusal,
      boolean head,
      boolean keepAlive) {
    refusals.count(refusal.reason());
    refusalLog.warn(
        refusal.reason(),
        "admin {} {} from {} refused: {}",
        request.method(),
        request.uri(),
        ctx.channel().remoteAddress(),
        refusal.message());
    FullHttpResponse response = text(refusal.status(), refusal.message() + "\n");
    if (refusal.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"meld-admin\"");
    }
    send(ctx, response, head, keepAlive);
  }

  /** 202 with where the node stands once the leave started; 409 naming why it did not start. */
  private FullHttpResponse leave(LeaveOutcome outcome, Throwable error) {
    ReplicaStatus s = view.status();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("node", s.node());
    doc.put("leaving", outcome != null && outcome.started());
    HttpResponseStatus status;
    if (error != null) {
      status = HttpResponseStatus.CONFLICT;
      doc.put("error", "the node cannot leave now: " + error.getMessage());
    } else if (!outcome.started()) {
      status = HttpResponseStatus.CONFLICT;
      doc.put("error", outcome.refusal());
    } else {
      status = HttpResponseStatus.ACCEPTED;
      doc.put(
          "message",
          s.node()
              + " removed itself from the member set and is draining; it stops once every live"
              + " peer has acknowledged its writes, or at the drain deadline");
    }
    doc.put("membership", HealthReport.membership(s));
    doc.put("drain", HealthReport.drain(s.drain()));
    return body(status, HttpHeaderValues.APPLICATION_JSON.toString(), HealthReport.json(doc));
  }

  private FullHttpResponse route(String path) {
    switch (path) {
      case "/health":
        return body(
            HttpResponseStatus.OK,
            HttpHeaderValues.APPLICATION_JSON.toString(),
            HealthReport.render(view, System.currentTimeMillis()));
      case "/ready":
        boolean ready = view.serving() && view.status().ready() && !view.status().drain().draining();
        if (!ready) {
          return text(
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              "not ready: " + HealthReport.state(view.status(), view.serving()) + "\n");
        }
        // A balancer should send new clients elsewhere while this node would turn them away.
        return view.clients().full()
            ? text(
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                "not ready: " + HealthReport.CLIENT_TABLE_FULL + "\n")
            : text(HttpResponseStatus.OK, "ready\n");
      default:
        return body(
            HttpResponseStatus.OK,
            PROMETHEUS_TEXT,
            metrics.get().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String text) {
    return body(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  private static FullHttpResponse body(HttpResponseStatus status, String type, byte[] bytes) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpResponse response, boolean head, boolean keepAlive) {
    if (head) {
      response.content().clear(); // HEAD: the headers of a GET, no body
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
