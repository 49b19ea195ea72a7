package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection accepted by a proxy and the connection it opened to the upstream: two
 * {@link Flow}s, client to server ({@code upstream}) and server to client ({@code downstream}).
 * Both sockets live on the same event loop, so the connection's state needs no locks; the API
 * reaches it only by submitting tasks to that loop.
 *
 * <p>Closing: when one socket closes, the end of its stream travels through the toxics and then
 * closes the other socket, so both sides close together. {@link #abort} closes both at once, the
 * upstream one also while its connect is still under way.
 */
final class ProxiedConnection {

  private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

  private final FaultProxy owner;
  private final Channel client;
  private final SplittableRandom random;
  private final Flow upstream = new Flow(this);
  private final Flow downstream = new Flow(this);
  private Channel server;
  private boolean aborted;
  private boolean finished;

  /** Runs on the client channel's event loop, while it is being initialised. */
  ProxiedConnection(
      FaultProxy owner, Channel client, SplittableRandom random, List<ToxicSpec> toxics) {
    this.owner = owner;
    this.client = client;
    this.random = random;
    for (ToxicSpec toxic : toxics) {
      flow(toxic.stream()).chain.add(toxic);
    }
    client.pipeline().addLast(new Relay(true));
  }

  EventLoop loop() {
    return client.eventLoop();
  }

  SplittableRandom random() {
    return random;
  }

  /**
   * Opens the upstream connection; bytes start to flow once it is up. The socket is kept from the
   * start: an abort during the connect must close it, since a connect that never completes (the
   * loop stopped) would otherwise leave it open, and the upstream would get a connection after the
   * proxy was disabled or stopped.
   */
  void connect(ProxyEngine engine, HostPort upstreamAddress) {
    ChannelFuture dial = engine.connect(loop(), upstreamAddress, new Relay(false));
    server = dial.channel();
    dial.addListener((ChannelFuture future) -> connected(future, upstreamAddress));
  }

  private void connected(ChannelFuture future, HostPort upstreamAddress) {
    if (!future.isSuccess()) {
      if (!aborted) {
        LOG.debug(
            "proxy {}: cannot reach upstream {}", owner.name(), upstreamAddress, future.cause());
      }
      client.close();
      return;
    }
    if (aborted || finished || !client.isActive()) {
      server.close();
      return;
    }
    upstream.start(client, server);
    downstream.start(server, client);
  }

  Future<?> addToxic(ToxicSpec toxic) {
    return submit(() -> flow(toxic.stream()).chain.add(toxic));
  }

  Future<?> updateToxic(ToxicSpec toxic) {
    return submit(() -> flow(toxic.stream()).chain.update(toxic));
  }

  Future<?> removeToxic(ToxicSpec toxic) {
    return submit(() -> flow(toxic.stream()).chain.remove(toxic.name()));
  }

  Future<?> removeAllToxics() {
    return submit(
        () -> {
          upstream.chain.removeAll();
          downstream.chain.removeAll();
        });
  }

  /** Closes both sockets (from any thread); the future completes once they are closed. */
  Future<?> close() {
    return submit(() -> abort(false));
  }

  private Future<?> submit(Runnable task) {
    try {
      return loop().submit(task);
    } catch (RejectedExecutionException shuttingDown) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    }
  }

  /** Closes both sockets now, dropping what the toxics hold; {@code reset} makes it an RST. */
  void abort(boolean reset) {
    if (aborted) {
      return;
    }
    aborted = true;
    for (Channel channel : new Channel[] {client, server}) {
      if (channel != null && channel.isOpen()) {
        if (reset) {
          channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        channel.close();
      }
    }
  }

  /** A flow's stream ended: close its destination once what was written has been flushed. */
  void endOfStream(Channel dest) {
    if (dest == null) {
      abort(false);
    } else {
      dest.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void onInactive(boolean clientSide) {
    Flow readingFrom = clientSide ? upstream : downstream;
    Flow writingTo = clientSide ? downstream : upstream;
    readingFrom.onSourceClosed();
    writingTo.onDestClosed();
    if (!client.isActive() && (server == null || !server.isActive())) {
      finish();
    }
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    upstream.chain.dispose();
    downstream.chain.dispose();
    owner.connectionClosed(this);
  }

  private Flow flow(ToxicStream stream) {
    return stream == ToxicStream.UPSTREAM ? upstream : downstream;
  }

  /** Translates socket events of one side into flow calls. */
  private final class Relay extends ChannelInboundHandlerAdapter {

    private final boolean clientSide;

    Relay(boolean clientSide) {
      this.clientSide = clientSide;
    }

    private Flow readingFrom() {
      return clientSide ? upstream : downstream;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf chunk) {
        readingFrom().onRead(chunk);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      readingFrom().onReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      (clientSide ? downstream : upstream).maybeRead();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onInactive(clientSide);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug(
          "proxy {}: {} socket failed", owner.name(), clientSide ? "client" : "upstream", cause);
      ctx.close();
    }
  }
}
