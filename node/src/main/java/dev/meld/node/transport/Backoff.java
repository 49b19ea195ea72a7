package dev.meld.node.transport;

import java.util.random.RandomGenerator;

/**
 * How long to wait before the next dial of a peer: exponential backoff with jitter. The n-th wait
 * after a reset is uniform in {@code [min, min(max, min * 2^n)]}: the ceiling doubles with each
 * failure so a dead peer is not hammered, and the jitter spreads the redials of many nodes that
 * lost the same peer at the same moment ("full jitter" with a floor, so no wait is shorter than
 * {@code min}).
 */
final class Backoff {

  private final long min;
  private final long max;
  private final RandomGenerator random;
  private long ceiling;

  Backoff(long min, long max, RandomGenerator random) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException(
          "backoff: " + min + ".." + max + " ms (expected: 1 <= min <= max)");
    }
    this.min = min;
    this.max = max;
    this.random = random;
    this.ceiling = min;
  }

  /** The next wait in milliseconds; each call without a {@link #reset} allows a longer one. */
  long next() {
    long wait = min + random.nextLong(ceiling - min + 1);
    ceiling = ceiling > max / 2 ? max : Math.min(max, ceiling * 2);
    return wait;
  }

  /** Starts over from the shortest wait (after a connection succeeded). */
  void reset() {
    ceiling = min;
  }
}
