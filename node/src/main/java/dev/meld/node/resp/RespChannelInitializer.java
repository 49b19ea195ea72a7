package dev.meld.node.resp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one client connection:
 *
 * <pre>
 *  bytes ─▶ RespRequestDecoder ─▶ Args ──────▶ RespConnection
 *  bytes ◀─ RespValueEncoder ◀── RespValue ◀── RespConnection
 * </pre>
 *
 * (after TLS, if any, and a {@link ReadGate} that the connection shuts while it is not reading).
 * The decoder reads each request straight into its arguments, checking every line and every array
 * and bulk length (with the connection's {@link RequestGuard}) before it allocates for it; the
 * connection runs the commands and writes their replies in order, which the encoder writes as RESP
 * bytes. Flushes are consolidated so that a burst of replies completing together leaves in few
 * writes.
 */
final class RespChannelInitializer extends ChannelInitializer<Channel> {
  private final ServerContext server;
  private final SslContext tls;

  RespChannelInitializer(ServerContext server) {
    this(server, null);
  }

  /** With {@code tls} (not null), every connection speaks TLS before RESP. */
  RespChannelInitializer(ServerContext server, SslContext tls) {
    this.server = server;
    this.tls = tls;
  }

  @Override
  protected void initChannel(Channel ch) {
    RespConfig config = server.config;
    Client client =
        new Client(
            server,
            describe(ch.remoteAddress()),
            host(ch.remoteAddress()),
            describe(ch.localAddress()),
            ch.eventLoop());
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.newHandler(ch.alloc()));
    }
    ReadGate gate = new ReadGate();
    p.addLast(gate);
    p.addLast(new FlushConsolidationHandler(256, true));
    if (config.idleTimeoutMillis() > 0) {
      p.addLast(new IdleStateHandler(0, 0, config.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
    }
    p.addLast(new RespRequestDecoder(config, client));
    p.addLast(RespValueEncoder.INSTANCE);
    p.addLast(new RespConnection(server, client, gate));
  }

  private static String host(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }

  private static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
