package dev.meld.chaos.workload;

import java.util.Random;

/**
 * Spaces one client's requests so that {@code clients} of them together send about {@code rate}
 * requests per second: each waits a uniformly random gap of mean {@code clients / rate} seconds
 * from its previous start (Jepsen's {@code stagger}). A client that fell behind (a slow or timed
 * out request) starts its next request at once and does not burst to catch up.
 */
public final class Pacer {

  /** The highest total rate accepted, in requests per second. */
  public static final double MAX_RATE = 100_000;

  private final long meanGapNanos;

  /**
   * @param rate requests per second over all clients, in {@code (0, MAX_RATE]}
   * @param clients how many clients share the rate, at least 1
   */
  public Pacer(double rate, int clients) {
    if (!(rate > 0 && rate <= MAX_RATE)) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: in (0, " + MAX_RATE + "])");
    }
    if (clients < 1) {
      throw new IllegalArgumentException("clients: " + clients + " (expected: >= 1)");
    }
    this.meanGapNanos = (long) (clients / rate * 1e9);
  }

  /** The mean gap between one client's requests. */
  public long meanGapNanos() {
    return meanGapNanos;
  }

  /**
   * When a client whose previous request started at {@code previousStart} may start its next one,
   * given that it is now {@code now} (both on the same nanosecond clock).
   */
  public long nextStart(long previousStart, long now, Random random) {
    long gap = (long) (random.nextDouble() * 2 * meanGapNanos);
    return Math.max(now, previousStart + gap);
  }
}
