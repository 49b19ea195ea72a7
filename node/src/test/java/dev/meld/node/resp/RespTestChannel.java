package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.server.CommandGateway;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection's whole pipeline in an {@link EmbeddedChannel}, in front of a {@link
 * FakeGateway} (or any gateway): the test writes request bytes and reads reply bytes, compared as
 * ISO-8859-1 strings so every byte shows.
 */
final class RespTestChannel implements AutoCloseable {
  /** The fake behind the channel, or null when it runs in front of another gateway. */
  final FakeGateway gateway;

  final ServerContext server;
  final EmbeddedChannel channel;

  RespTestChannel(RespConfig config, CommandGateway gateway) {
    this.gateway = gateway instanceof FakeGateway fake ? fake : null;
    this.server = new ServerContext(config, gateway, RespMetrics.NOOP);
    this.channel = new EmbeddedChannel(new RespChannelInitializer(server));
  }

  RespTestChannel(RespConfig config) {
    this(config, new FakeGateway());
  }

  RespTestChannel() {
    this(RespConfig.builder().build());
  }

  /** Writes {@code request} (ISO-8859-1) as one read. */
  RespTestChannel send(String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    return this;
  }

  /**
   * Writes {@code request} one byte per read, as a slow client's bytes may arrive, until the
   * connection closes (a closed socket takes no more).
   */
  RespTestChannel sendByteAtATime(String request) {
    for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
      channel.runPendingTasks();
      if (!channel.isOpen()) {
        break;
      }
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    return this;
  }

  /** Runs the loop's tasks until nothing more happens, then returns every reply byte so far. */
  String read() {
    StringBuilder sb = new StringBuilder();
    for (int round = 0; round < 1_000; round++) {
      channel.runPendingTasks();
      if (channel.isOpen()) {
        channel.flushOutbound();
      }
      int before = sb.length();
      for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
        sb.append(buf.toString(StandardCharsets.ISO_8859_1));
        buf.release();
      }
      if (sb.length() == before && !channel.hasPendingTasks()) {
        return sb.toString();
      }
    }
    throw new AssertionError("the channel never went quiet");
  }

  /** {@link #send} then {@link #read}. */
  String exchange(String request) {
    return send(request).read();
  }

  /** The request as a RESP array of bulk strings, as clients send it. */
  static String command(String... words) {
    StringBuilder sb = new StringBuilder().append('*').append(words.length).append("\r\n");
    for (String w : words) {
      sb.append('$').append(w.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
      sb.append(w).append("\r\n");
    }
    return sb.toString();
  }

  /** {@code command(words)} then {@link #read}. */
  String call(String... words) {
    return exchange(command(words));
  }

  boolean isOpen() {
    channel.runPendingTasks();
    return channel.isOpen();
  }

  /** Ends the channel; nothing may be left unread in either direction. */
  @Override
  public void close() {
    String rest = read();
    assertThat(rest).as("replies left unread").isEmpty();
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
  }
}
