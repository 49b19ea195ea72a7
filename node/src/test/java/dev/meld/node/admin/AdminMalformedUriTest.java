package dev.meld.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request whose path has a malformed %-escape gets a 400 and a closed connection, as any request
 * that does not parse; the path decoder's exception used to escape the handler, which closed the
 * connection without a word and without the leave route ever being asked. Found by {@code
 * AdminFuzzTest} (seed {@code malformed-percent-escape-in-path-closed-silently}).
 */
@ExtendWith(NoLeaks.class)
class AdminMalformedUriTest {

  @Test
  void aMalformedPercentEscapeInThePathGets400NotASilentClose() {
    FakeView view = new FakeView();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new HttpServerCodec(4096, 8192, 8192),
            new HttpObjectAggregator(AdminServer.MAX_BODY_BYTES),
            new AdminHandler(
                view,
                () -> "",
                new AdminAccess(
                    AdminConfig.of(new InetSocketAddress("127.0.0.1", 9379), "token-0123456789abcdef", false)),
                new AdminRefusals(new SimpleMeterRegistry())));
    ch.writeInbound(
        Unpooled.copiedBuffer(
            "POST /le%ave HTTP/1.1\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
    ch.runPendingTasks();
    StringBuilder out = new StringBuilder();
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      out.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    assertThat(out.toString()).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("connection: close");
    assertThat(ch.isOpen()).isFalse();
    assertThat(view.leaves.get()).isZero();
    ch.finishAndReleaseAll();
  }
}
