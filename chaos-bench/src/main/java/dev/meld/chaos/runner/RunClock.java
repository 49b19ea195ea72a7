package dev.meld.chaos.runner;

import java.util.function.LongSupplier;

/**
 * Nanoseconds since a run started, the clock of its history's {@code time}: zero at the first
 * reading (which the history recorder takes when it is created), so phase times the runner takes
 * from it line up with the ops.
 */
final class RunClock implements LongSupplier {

  private long origin = Long.MIN_VALUE;

  @Override
  public synchronized long getAsLong() {
    long now = System.nanoTime();
    if (origin == Long.MIN_VALUE) {
      origin = now;
    }
    return now - origin;
  }

  /** The nanoTime of the first reading, on {@link System#nanoTime()}'s scale. */
  synchronized long originNanoTime() {
    getAsLong();
    return origin;
  }
}
