package dev.meld.node.resp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.redis.FixedRedisMessagePool;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
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
 *  bytes ─▶ RedisDecoder ─▶ RequestGuard ─▶ BulkStringAggregator ─▶ ArrayAggregator ─▶ RespConnection
 *  bytes ◀─ RedisEncoder ◀─ RespValueEncoder ◀──────────────────────────────────────── RespConnection
 * </pre>
 *
 * (after TLS, if any, and a {@link ReadGate} that the connection shuts while it is not reading).
 * Netty's decoder (inline commands on) checks inline lines and length lines; the guard checks every
 * array and bulk length before the aggregators allocate for it; the connection runs the commands
 * and writes their replies in order. Flushes are consolidated so that a burst of replies completing
 * together leaves in few writes.
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
    p.addLast(new RedisDecoder(config.maxInlineBytes(), FixedRedisMessagePool.INSTANCE, true));
    p.addLast(new RequestGuard(config, client));
    p.addLast(new RedisBulkStringAggregator());
    p.addLast(new RedisArrayAggregator(config.maxArrayLength(), 1));
    p.addLast(new RedisEncoder());
    p.addLast(new RespValueEncoder());
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
