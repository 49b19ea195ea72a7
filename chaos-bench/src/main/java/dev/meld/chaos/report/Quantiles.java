package dev.meld.chaos.report;

/** Nearest-rank quantiles of sorted samples, the one definition used across reports. */
final class Quantiles {

  private Quantiles() {}

  /**
   * The sample at rank {@code ceil(q * n)} (1-based) of {@code sorted[from, to)}, which must be in
   * ascending order; q = 0 gives the least, q = 1 the greatest.
   */
  static long of(long[] sorted, int from, int to, double q) {
    if (to <= from) {
      throw new IllegalArgumentException("samples: none (expected: at least one)");
    }
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile: " + q + " (expected: 0 <= q <= 1)");
    }
    int n = to - from;
    int rank = (int) Math.ceil(q * n);
    return sorted[from + Math.max(0, Math.min(n - 1, rank - 1))];
  }

  static long of(long[] sorted, double q) {
    return of(sorted, 0, sorted.length, q);
  }
}
