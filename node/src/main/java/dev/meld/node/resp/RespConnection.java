package dev.meld.node.resp;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import dev.meld.node.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client connection: turns each request into a command, runs it, and writes
 * the replies in request order although the replica answers asynchronously.
 *
 * <p>Requests are handed on as they arrive (the gateway runs one connection's commands in order),
 * so a pipelining client gets group commits; each waits in a queue until it and everything before
 * it is answered. Reading pauses while the queue holds half of {@link
 * RespConfig#maxPipelinedCommands()} or the socket cannot take more output; a client that still
 * gets beyond the limit (one read can hold many tiny commands) is answered with an error and
 * disconnected. A protocol error or {@code QUIT} closes the connection once every reply before it
 * is written; nothing read after it runs.
 */
final class RespConnection extends ChannelInboundHandlerAdapter {
  static final Logger log = LoggerFactory.getLogger(RespConnection.class);

  /** Refusals a client can provoke at will: a few lines per flood, with counts. */
  static final RateLimitedLog refusalLog = RateLimitedLog.monotonic(log, 10_000);

  private final ServerContext server;
  private final Client client;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final int pauseAt;
  private ChannelHandlerContext ctx;
  private boolean admitted;
  private boolean closing;
  private boolean readingPaused;

  /** A request waiting for its reply. */
  private static final class Pending {
    final CompletableFuture<RespValue> reply;
    final String command;
    final long startNanos;
    final int protocol;
    final boolean last;

    Pending(CompletableFuture<RespValue> reply, String command, int protocol, boolean last) {
      this.reply = reply;
      this.command = command;
      this.startNanos = System.nanoTime();
      this.protocol = protocol;
      this.last = last;
    }
  }

  RespConnection(ServerContext server, Client client) {
    this.server = server;
    this.client = client;
    this.pauseAt = Math.max(1, server.config.maxPipelinedCommands() / 2);
    client.earlier(this::earlier);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    if (!server.admit()) {
      server.metrics.connectionRejected();
      closing = true;
      context.channel().config().setAutoRead(false);
      context
          .writeAndFlush(new RespValue.Error("ERR max number of clients reached"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    admitted = true;
    server.metrics.connectionOpened();
    context.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (admitted) {
      admitted = false;
      server.release();
      server.metrics.connectionClosed();
    }
    closing = true;
    pending.clear();
    context.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    try {
      if (closing) {
        return;
      }
      if (msg instanceof RequestGuard.ProtocolError error) {
        if (error.reason().equals("budget")) {
          refusalLog.warn("budget", "client {} refused: {}", client.address, error.message());
        }
        fail(error.reason(), error.message());
        return;
      }
      List<byte[]> words = words(msg);
      if (!words.isEmpty()) {
        dispatch(new Args(words));
      }
    } catch (RespProtocolException e) {
      fail("protocol", "Protocol error: " + e.getMessage());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The arguments of a request as the guard let it through: an inline line or bulk strings. */
  private static List<byte[]> words(Object msg) {
    if (msg instanceof InlineCommandRedisMessage inline) {
      return InlineCommand.split(inline.content());
    }
    if (msg instanceof ArrayRedisMessage array) {
      List<byte[]> words = new ArrayList<>(array.children().size());
      for (RedisMessage child : array.children()) {
        words.add(ByteBufUtil.getBytes(((FullBulkStringRedisMessage) child).content()));
      }
      return words;
    }
    throw new RespProtocolException("unexpected " + msg.getClass().getSimpleName());
  }

  private void dispatch(Args args) {
    if (pending.size() >= server.config.maxPipelinedCommands()) {
      fail(
          "pipeline",
          "too many pipelined commands: "
              + (pending.size() + 1)
              + " waiting (expected: <= "
              + server.config.maxPipelinedCommands()
              + ")");
      return;
    }
    CommandSpec spec = server.commands.lookup(args.name());
    client.commandArrived();
    CompletableFuture<RespValue> reply = server.commands.run(spec, client, args);
    boolean last = client.takeCloseAfterReply();
    // The protocol after the command: HELLO 3 is itself answered in RESP3.
    enqueue(new Pending(reply, spec == null ? "unknown" : spec.name(), client.protocol(), last));
    if (last) {
      stopReading();
    }
  }

  private CompletableFuture<Void> earlier() {
    if (pending.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?>[] all = new CompletableFuture<?>[pending.size()];
    int i = 0;
    for (Pending p : pending) {
      all[i++] = p.reply;
    }
    return CompletableFuture.allOf(all);
  }

  private void enqueue(Pending p) {
    pending.add(p);
    if (p.reply.isDone()) {
      drain();
    } else {
      p.reply.whenComplete(
          (value, error) -> {
            if (ctx.executor().inEventLoop()) {
              drain();
            } else {
              try {
                ctx.executor().execute(this::drain);
              } catch (RejectedExecutionException closed) {
                // the loop is gone and the connection with it
              }
            }
          });
      updateReading();
    }
  }

  /** Writes every reply at the head of the queue that is ready, in order. */
  private void drain() {
    boolean wrote = false;
    while (!pending.isEmpty() && pending.peek().reply.isDone()) {
      Pending p = pending.poll();
      RespValue value = valueOf(p.reply);
      server.metrics.commandCompleted(
          p.command, System.nanoTime() - p.startNanos, value instanceof RespValue.Error);
      if (p.last) {
        pending.clear();
        ctx.writeAndFlush(value.forProtocol(p.protocol)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.write(value.forProtocol(p.protocol));
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    updateReading();
  }

  private static RespValue valueOf(CompletableFuture<RespValue> reply) {
    try {
      return reply.join();
    } catch (RuntimeException e) {
      // CommandTable turns failures into error replies; this only guards against a bug there.
      log.warn("reply failed", e);
      return new RespValue.Error("ERR " + e.getMessage());
    }
  }

  /** Answers {@code -ERR message} after the replies owed, then closes; reads nothing more. */
  private void fail(String reason, String message) {
    if (closing) {
      return;
    }
    server.metrics.connectionFailed(reason);
    stopReading();
    enqueue(
        new Pending(
            CompletableFuture.completedFuture(new RespValue.Error("ERR " + message)),
            "error",
            client.protocol(),
            true));
  }

  private void stopReading() {
    closing = true;
    ctx.channel().config().setAutoRead(false);
  }

  private void updateReading() {
    if (closing) {
      return;
    }
    boolean pause = pending.size() >= pauseAt || !ctx.channel().isWritable();
    if (pause != readingPaused) {
      readingPaused = pause;
      ctx.channel().config().setAutoRead(!pause);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    updateReading();
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof IdleStateEvent && pending.isEmpty()) {
      server.metrics.connectionFailed("idle");
      log.debug("client {} closed after {} ms idle", client.address, server.config.idleTimeoutMillis());
      context.close();
      return;
    }
    context.fireUserEventTriggered(event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    if (cause instanceof CodecException) {
      // The decoder's own checks (a line too long, a bad length or delimiter), usually wrapped.
      Throwable root = cause.getCause() != null ? cause.getCause() : cause;
      fail("protocol", "Protocol error: " + root.getMessage());
    } else if (cause instanceof IOException) {
      log.debug("client {} connection error", client.address, cause);
      context.close();
    } else {
      log.warn("client {} failed; closing", client.address, cause);
      context.close();
    }
  }
}
