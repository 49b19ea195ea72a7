package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a proxied connection: reads from the source socket, passes the bytes through the
 * direction's {@link StageChain} and writes what comes out to the destination socket.
 *
 * <p>Backpressure: the source is read (auto-read is off) only while fewer than {@link
 * #MAX_IN_FLIGHT} bytes are inside the flow (read but neither written nor dropped) and the
 * destination is writable. A slow destination or a toxic holding data back therefore stops the
 * reads, and the sender's TCP window closes, instead of the proxy buffering without bound.
 */
final class Flow implements Pipe {

  /** Bytes one direction of one connection may hold (in toxics and the outbound buffer). */
  static final int MAX_IN_FLIGHT = 1 << 20;

  private final ProxiedConnection connection;
  final StageChain chain;
  private Channel source;
  private Channel dest;
  private long inFlight;
  private boolean reading;
  private boolean sourceEnded;
  private boolean sinkEnded;

  Flow(ProxiedConnection connection) {
    this.connection = connection;
    this.chain = new StageChain(this, new Sink());
  }

  /** Both sockets are connected: start moving bytes. */
  void start(Channel source, Channel dest) {
    this.source = source;
    this.dest = dest;
    maybeRead();
  }

  void onRead(ByteBuf chunk) {
    if (sinkEnded || sourceEnded) {
      chunk.release();
      return;
    }
    inFlight += chunk.readableBytes();
    chain.data(chunk);
  }

  void onReadComplete() {
    reading = false;
    maybeRead();
  }

  /** The source socket closed: the end of the stream travels through the toxics. */
  void onSourceClosed() {
    if (!sourceEnded) {
      sourceEnded = true;
      chain.end();
    }
  }

  /** The destination socket closed: nothing can be delivered any more. */
  void onDestClosed() {
    sinkEnded = true;
    chain.dispose();
  }

  void maybeRead() {
    if (!reading
        && source != null
        && !sourceEnded
        && !sinkEnded
        && inFlight < MAX_IN_FLIGHT
        && source.isActive()
        && dest.isActive()
        && dest.isWritable()) {
      reading = true;
      source.read();
    }
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Timer schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> future =
        connection.loop().schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void discard(ByteBuf chunk) {
    inFlight -= chunk.readableBytes();
    chunk.release();
    maybeRead();
  }

  @Override
  public void abort(boolean reset) {
    connection.abort(reset);
  }

  @Override
  public SplittableRandom random() {
    return connection.random();
  }

  /** The end of the chain: the destination socket. */
  private final class Sink implements Outlet {

    @Override
    public void data(ByteBuf chunk) {
      if (sinkEnded || dest == null || !dest.isActive()) {
        discard(chunk);
        return;
      }
      int size = chunk.readableBytes();
      dest.writeAndFlush(chunk)
          .addListener(
              written -> {
                inFlight -= size;
                maybeRead();
              });
    }

    @Override
    public void end() {
      if (!sinkEnded) {
        sinkEnded = true;
        connection.endOfStream(dest);
      }
    }
  }
}
