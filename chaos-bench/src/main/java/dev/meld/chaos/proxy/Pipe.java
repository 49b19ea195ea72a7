package dev.meld.chaos.proxy;

import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;

/**
 * One direction of one proxied connection, as its toxic stages see it: a clock and timers (the
 * connection's event loop in the proxy, a manual clock in tests), a way to drop bytes, and a way to
 * kill the whole connection. Every call happens on the connection's thread.
 */
interface Pipe {

  /** Monotonic time in nanoseconds, the clock {@link #schedule} counts in. */
  long nanoTime();

  /** Runs {@code task} on the connection's thread after {@code delayNanos}. */
  Timer schedule(Runnable task, long delayNanos);

  /** Drops a chunk that will never be delivered: releases it and frees its read budget. */
  void discard(ByteBuf chunk);

  /** Closes both sides of the connection now, dropping queued data; {@code reset} sends RST. */
  void abort(boolean reset);

  /** The connection's random source (toxicity rolls, jitter, slice sizes). */
  SplittableRandom random();

  /** A scheduled task that can still be called off. */
  interface Timer {
    void cancel();
  }
}
