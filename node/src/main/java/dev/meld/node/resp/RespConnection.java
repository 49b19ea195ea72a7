package dev.meld.node.resp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.CodecException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
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
 * so a pipelining client gets group commits; each waits in {@code pending} until it and everything
 * before it is answered. A client that outruns the node is slowed down, never refused, as Redis
 * does: at {@link RespConfig#maxPipelinedCommands()} commands waiting, the connection stops reading
 * its socket (and its {@link ReadGate} drops the decoders' own read requests), and the requests
 * already decoded from the read in progress wait in {@code held}, in order, to be handed on as
 * replies complete. Reading resumes once fewer than half the limit are waiting. Held requests are
 * also handed on only while the socket can take more output, so a client that does not read its
 * replies stops being read too.
 *
 * <p>A protocol error or {@code QUIT} closes the connection once every reply before it is written;
 * nothing read after it runs.
 */
final class RespConnection extends ChannelInboundHandlerAdapter {
  static final Logger log = LoggerFactory.getLogger(RespConnection.class);

  /** Refusals a client can provoke at will: a few lines per flood, with counts. */
  static final RateLimitedLog refusalLog = RateLimitedLog.monotonic(log, 10_000);

  private final ServerContext server;
  private final Client client;
  private final ReadGate gate;
  private final int maxPending;
  private final int resumeBelow;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** Chunks of a streamed reply written per turn of the event loop while the socket takes them. */
  static final int CHUNKS_PER_TURN = 16;

  /**
   * Requests ({@link Args}, or a {@link RequestGuard.ProtocolError} standing last) decoded but not
   * yet handed on. Bounded without a count of its own: requests are held only once reading has
   * stopped, and the gate keeps it stopped, so they all come from the read in progress then: one
   * buffer of Netty's receive allocator (at most 64 KiB), or one TLS record more. The one exception
   * is a client that has shut down its side: Netty's epoll transport, once it has seen the FIN,
   * reads the input to its end, which is what the socket's receive buffer holds. A request begun in
   * an earlier read and finished in this one is bounded by {@link RespConfig#maxRequestBytes()}, and
   * beyond its first 64 KiB it was counted in the node-wide budget of unfinished requests while it
   * was read; one begun after reading stopped cannot finish, so the decoder keeps it, counted the
   * same way. No {@code ByteBuf} is held here: the decoder copies the arguments out of the read.
   */
  private final ArrayDeque<Object> held = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private boolean admitted;
  /** Nothing more is accepted from the socket: a protocol error, a closing command or the end. */
  private boolean closing;
  /** The last reply is written, or the connection is gone: nothing more is sent. */
  private boolean done;
  private boolean readingPaused;
  /** The client has shut down its side of the connection (a half-close). */
  private boolean inputEnded;
  private boolean pumping;
  private boolean pumpAgain;

  /** A request waiting for its reply. */
  private static final class Pending {
    final CompletableFuture<RespValue> reply;
    final String command;
    final long startNanos;
    final int protocol;
    final boolean last;
    /** The reply being written a chunk at a time, once it is at the head and is a stream. */
    StreamedReply streaming;

    Pending(CompletableFuture<RespValue> reply, String command, int protocol, boolean last) {
      this.reply = reply;
      this.command = command;
      this.startNanos = System.nanoTime();
      this.protocol = protocol;
      this.last = last;
    }
  }

  RespConnection(ServerContext server, Client client, ReadGate gate) {
    this.server = server;
    this.client = client;
    this.gate = gate;
    this.maxPending = server.config.maxPipelinedCommands();
    this.resumeBelow = (maxPending + 1) / 2;
    client.earlier(this::earlier);
    client.afterAnswers(this::pump);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    // A client that sends its commands and then shuts down its side still gets every reply, and
    // the commands held when the end of its input is read still run (see inputEnded).
    context.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    if (!server.admit()) {
      server.metrics.connectionRejected();
      stopReading();
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
    done = true;
    discardPending();
    held.clear();
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
        refuse(error);
        return;
      }
      if (msg instanceof Args args) {
        held.add(args);
        pump();
      } else {
        refuse(RequestGuard.ProtocolError.protocol("unexpected " + msg.getClass().getSimpleName()));
      }
    } finally {
      ReferenceCountUtil.release(msg); // only the decoder's leftover bytes, once it is removed
    }
  }

  /** Requests decoded and not yet handed on; for tests, on the event loop. */
  int heldRequests() {
    return held.size();
  }

  /**
   * Writes the replies that are ready, in order, and hands on held requests while fewer than the
   * limit are waiting and the socket takes output. Reentrant calls (a command answered at once, a
   * writability change while writing) only make the running loop go round again.
   */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    boolean unflushed = false;
    try {
      do {
        pumpAgain = false;
        unflushed |= writeReady();
        if (!done && !held.isEmpty() && pending.size() < maxPending) {
          if (!ctx.channel().isWritable() && unflushed) {
            ctx.flush(); // the socket may take it all at once: the client is only slow if not
            unflushed = false;
          }
          if (ctx.channel().isWritable()) {
            dispatch(held.poll());
            pumpAgain = true;
          }
        }
      } while (pumpAgain && !done);
    } finally {
      pumping = false;
    }
    if (!done && inputEnded && pending.isEmpty() && held.isEmpty()) {
      done = true;
      // Closes after every earlier write has left: writes complete in order.
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (unflushed && !done) {
      ctx.flush();
    }
    updateReading();
  }

  private void dispatch(Object request) {
    if (request instanceof RequestGuard.ProtocolError error) {
      enqueue(
          new Pending(
              CompletableFuture.completedFuture(new RespValue.Error("ERR " + error.message())),
              "error",
              client.protocol(),
              true));
      return;
    }
    Args args = (Args) request;
    CommandSpec spec = server.commands.lookup(args.name());
    client.commandArrived();
    CompletableFuture<RespValue> reply = server.commands.run(spec, client, args);
    boolean last = client.takeCloseAfterReply();
    // The protocol after the command: HELLO 3 is itself answered in RESP3.
    enqueue(new Pending(reply, spec == null ? "unknown" : spec.name(), client.protocol(), last));
    if (last) {
      held.clear(); // nothing read after a closing command runs
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
    if (!p.reply.isDone()) {
      p.reply.whenComplete(
          (value, error) -> {
            if (ctx.executor().inEventLoop()) {
              if (client.delivering()) {
                return; // the client pumps once after the run of answers
              }
              pump();
            } else {
              try {
                ctx.executor().execute(this::pump);
              } catch (RejectedExecutionException closed) {
                // the loop is gone and the connection with it
              }
            }
          });
    }
  }

  /**
   * Writes (without flushing) every reply at the head of the queue that is ready, in order. A
   * streamed reply is written while the socket takes it, a few chunks per turn of the event loop
   * so that other connections on the loop are served meanwhile; the replies after it wait.
   */
  private boolean writeReady() {
    boolean wrote = false;
    while (!done && !pending.isEmpty() && pending.peek().reply.isDone()) {
      Pending p = pending.peek();
      RespValue value = null;
      if (p.streaming == null) {
        value = valueOf(p.reply).forProtocol(p.protocol);
        if (value instanceof RespValue.Stream stream) {
          p.streaming = new StreamedReply(stream);
        }
      }
      if (p.streaming != null) {
        if (!ctx.channel().isWritable()) {
          return wrote; // channelWritabilityChanged pumps again
        }
        boolean finished;
        try {
          finished = p.streaming.writeSome(ctx, CHUNKS_PER_TURN);
        } catch (RuntimeException e) {
          // The array's length is on the wire already: the reply cannot be finished or replaced.
          log.warn("client {}: {} reply cut, closing: {}", client.address, p.command, e.getMessage());
          done = true;
          discardPending();
          held.clear();
          ctx.close();
          return false;
        }
        if (!finished) {
          if (ctx.channel().isWritable()) {
            ctx.executor().execute(this::pump); // more after the loop's other work
          }
          return false; // flushed already
        }
        value = null;
      }
      pending.poll();
      server.metrics.commandCompleted(
          p.command,
          System.nanoTime() - p.startNanos,
          value instanceof RespValue.Error);
      if (p.last) {
        done = true;
        discardPending();
        held.clear();
        ChannelFuture last =
            value == null ? ctx.writeAndFlush(Unpooled.EMPTY_BUFFER) : ctx.writeAndFlush(value);
        last.addListener(ChannelFutureListener.CLOSE);
        return false;
      }
      if (value != null) {
        ctx.write(value);
        wrote = true;
      }
    }
    return wrote;
  }

  /**
   * Forgets every waiting reply, closing the streams among them, now or when their command
   * completes: a stream holds a view of the store until closed.
   */
  private void discardPending() {
    for (Pending p : pending) {
      if (p.streaming != null) {
        p.streaming.discard();
      } else {
        p.reply.thenAccept(
            value -> {
              if (value instanceof RespValue.Stream stream) {
                stream.elements().close();
              }
            });
      }
    }
    pending.clear();
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

  /**
   * Answers {@code -ERR message} after the replies owed (held requests before it still run), then
   * closes; reads nothing more.
   */
  private void refuse(RequestGuard.ProtocolError error) {
    if (closing) {
      return;
    }
    server.metrics.connectionFailed(error.reason());
    stopReading();
    held.add(error);
    pump();
  }

  private void stopReading() {
    closing = true;
    gate.shut();
    ctx.channel().config().setAutoRead(false);
  }

  /**
   * Stops reading at {@code maxPending} commands waiting, while requests are held or while the
   * socket takes no output; resumes below half the limit, so that a client kept at the limit is
   * read in batches rather than a request at a time.
   */
  private void updateReading() {
    if (closing) {
      return;
    }
    int waitingLimit = readingPaused ? resumeBelow : maxPending;
    boolean pause =
        pending.size() >= waitingLimit || !held.isEmpty() || !ctx.channel().isWritable();
    if (pause != readingPaused) {
      readingPaused = pause;
      if (pause) {
        gate.shut();
        ctx.channel().config().setAutoRead(false);
      } else {
        gate.open(); // first: turning autoRead on asks for a read, which must pass
        ctx.channel().config().setAutoRead(true);
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    pump();
    context.fireChannelWritabilityChanged();
  }

  /** The client shut down its side: no more requests; close once every reply is written. */
  private void inputEnded() {
    if (!closing) {
      stopReading();
    }
    inputEnded = true;
    pump();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      inputEnded();
    }
    // Nothing waiting for a reply: a connection the node has slowed down has commands waiting.
    // Requests still held then mean that the socket has taken no output for the whole timeout,
    // a client that reads nothing, which is idle as Redis counts it too.
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
      // TLS's decoder (a record that is not TLS): RespRequestDecoder hands on its refusals as
      // ProtocolErrors and throws nothing of its own.
      Throwable root = cause.getCause() != null ? cause.getCause() : cause;
      refuse(RequestGuard.ProtocolError.protocol(root.getMessage()));
    } else if (cause instanceof IOException) {
      log.debug("client {} connection error", client.address, cause);
      context.close();
    } else {
      log.warn("client {} failed; closing", client.address, cause);
      context.close();
    }
  }
}
