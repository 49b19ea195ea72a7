package dev.meld.node.admin;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meld.node.DrainStatus;
import dev.meld.node.ReplicaStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Any bytes sent to the admin port, in reads of any size, through the port's pipeline (Netty's
 * HTTP codec and aggregator, {@link AdminHandler}) in an {@link EmbeddedChannel}:
 *
 * <ul>
 *   <li>every response is a whole HTTP response with a status the port may give, and a {@code
 *       Content-Length} that matches its body (or is the GET's, for HEAD);
 *   <li>the connection closes only after a response that said {@code Connection: close}: an
 *       exception inside the handler (which closes without a word) fails the target;
 *   <li>{@code POST /leave}, the one mutating route, takes effect at most once per request that
 *       parsed as exactly that and was authorized, never for anything else;
 *   <li>no buffer is leaked (counted exactly on the channel's allocator).
 * </ul>
 *
 * <p>Under {@code mvn verify} it replays the seeds in {@code
 * src/test/resources/dev/meld/node/admin/AdminFuzzTestInputs/requests/}; to fuzz for real: {@code
 * just fuzz node AdminFuzzTest} (node/README.md, "Fuzzing").
 */
class AdminFuzzTest {

  private static final FakeView VIEW = new FakeView();

  /** The token the fuzzed port takes for {@code POST /leave}; a seed input carries it. */
  private static final String TOKEN = "fuzz-admin-token-0123456789";

  /**
   * The statuses the port gives: its routes' (200, 202, 400, 404, 405, 409, 503), its access
   * rules' (401 no or wrong token, 403 cross-site, 415 not JSON) and the aggregator's (100
   * Continue, 413 too large, 417 for an expectation it does not know).
   */
  private static final Set<Integer> ALLOWED =
      Set.of(100, 200, 202, 400, 401, 403, 404, 405, 409, 413, 415, 417, 503);

  /** The first byte sets the read size (1 to 64); the rest is the stream. */
  @FuzzTest(maxDuration = "180m", maxExecutions = 10_000_000)
  void requests(byte[] input) {
    if (input.length == 0) {
      return;
    }
    VIEW.drain = DrainStatus.NOT_DRAINING;
    VIEW.membership = ReplicaStatus.MembershipState.MEMBER;
    VIEW.leaves.set(0);
    int readSize = 1 + (input[0] & 63);
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
    Recorder recorder = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    pipeline(ch, recorder);
    for (int at = 1; at < input.length && ch.isOpen(); at += readSize) {
      int n = Math.min(readSize, input.length - at);
      ch.writeInbound(alloc.heapBuffer(n).writeBytes(input, at, n));
      ch.runPendingTasks();
    }
    ch.runPendingTasks();
    ch.checkException();
    if (!ch.isOpen() && !recorder.saidClose) {
      throw new AssertionError("closed without a response saying so: " + recorder.statuses);
    }
    if (VIEW.leaves.get() > recorder.authorizedLeaves) {
      throw new AssertionError(
          "leave took effect "
              + VIEW.leaves.get()
              + " times for "
              + recorder.authorizedLeaves
              + " authorized POST /leave requests");
    }
    for (Object out = ch.readOutbound(); out != null; out = ch.readOutbound()) {
      ReferenceCountUtil.release(out);
    }
    ch.finishAndReleaseAll();
    if (alloc.metric().usedHeapMemory() != 0) {
      throw new AssertionError("bytes leaked: " + alloc.metric().usedHeapMemory());
    }
  }

  /**
   * The admin port's pipeline as {@code AdminServer} builds it, less the read timeout (a timer;
   * no bytes), with the recorder between the codec and the aggregator so that it sees the
   * aggregator's own responses too, and the requests on their way to the handler.
   */
  private static void pipeline(EmbeddedChannel ch, Recorder recorder) {
    ch.pipeline()
        .addLast(new HttpServerCodec(4096, 8192, 8192))
        .addLast(recorder)
        .addLast(new HttpObjectAggregator(AdminServer.MAX_BODY_BYTES))
        .addLast(recorder.requests)
        .addLast(
            new AdminHandler(
                VIEW,
                () -> "# fuzz\nmeld_up 1\n",
                new AdminAccess(
                    AdminConfig.of(new InetSocketAddress("127.0.0.1", 9379), TOKEN, false)),
                new AdminRefusals(new SimpleMeterRegistry())));
  }

  /**
   * What a request must at least carry to leave the cluster: the bearer token and no {@code
   * Origin}. The handler asks for more (a JSON body), so a leave without these is a breach.
   */
  private static boolean authorized(FullHttpRequest request) {
    return request.headers().get(HttpHeaderNames.ORIGIN) == null
        && carriesToken(request.headers().get(HttpHeaderNames.AUTHORIZATION));
  }

  /*
   * "Bearer <token>" with the scheme in any case (RFC 7235 2.1: the scheme is case-insensitive)
   * and blanks around the token. The campaign of 2026-12-07 found the oracle asking for the exact
   * spelling "Bearer " while the port, rightly, took "BeareR" (seed bearer-scheme-in-mixed-case).
   */
  private static boolean carriesToken(String authorization) {
    if (authorization == null) {
      return false;
    }
    String a = authorization.strip();
    return a.regionMatches(true, 0, "Bearer ", 0, 7) && a.substring(7).strip().equals(TOKEN);
  }

  /** Checks each response on its way out. */
  private static final class Recorder extends ChannelDuplexHandler {
    final List<Integer> statuses = new ArrayList<>();
    boolean saidClose;
    int authorizedLeaves;

    /** Counts the requests that reach the handler as an authorized {@code POST /leave}. */
    final ChannelDuplexHandler requests =
        new ChannelDuplexHandler() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest r
                && r.decoderResult().isSuccess()
                && r.method().equals(HttpMethod.POST)
                && isLeave(r.uri())
                && authorized(r)) {
              authorizedLeaves++;
            }
            ctx.fireChannelRead(msg);
          }
        };

    private static boolean isLeave(String uri) {
      try {
        return new QueryStringDecoder(uri).path().equals(AdminHandler.LEAVE);
      } catch (IllegalArgumentException badEscape) {
        return false; // not a path at all, let alone /leave
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse r) {
        int code = r.status().code();
        statuses.add(code);
        if (!ALLOWED.contains(code)) {
          throw new AssertionError("status " + r.status() + " (expected: one of " + ALLOWED + ")");
        }
        if (r.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
          saidClose = true;
        }
        if (msg instanceof FullHttpResponse full) {
          ByteBuf body = full.content();
          String length = r.headers().get(HttpHeaderNames.CONTENT_LENGTH);
          if (length == null && code != 100) {
            throw new AssertionError("a " + code + " response without Content-Length");
          }
          if (length != null
              && body.readableBytes() != 0
              && Long.parseLong(length) != body.readableBytes()) {
            throw new AssertionError(
                "Content-Length " + length + " on a body of " + body.readableBytes() + " bytes");
          }
        }
      }
      ctx.write(msg, promise);
    }
  }
}
