package dev.meld.chaos.report;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks which points of a scatter plot to draw when there are too many: a grid of square cells over
 * the plot, and in each cell the first point (in input order) of each series. The cell starts at 2
 * px and doubles until at most {@code cap} points are kept (or a cell covers the whole plot,
 * leaving one point per series). So the choice is deterministic, every series keeps at least one
 * point, and an isolated outlier (a lone slow op) is never dropped in favour of the crowd: only
 * points that share a cell with an earlier one of their series are.
 */
final class Downsampler {

  /** The indices kept (ascending) and the cell size in pixels; 0 if every point was kept. */
  record Sample(int[] kept, int cellPx) {}

  private static final int MAX_CELL = 1 << 14;

  private Downsampler() {}

  /**
   * @param x the points' x in pixels (>= 0)
   * @param y the points' y in pixels (>= 0)
   * @param series each point's series (>= 0)
   */
  static Sample select(float[] x, float[] y, int[] series, int n, int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap: " + cap + " (expected: >= 1)");
    }
    if (n <= cap) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return new Sample(all, 0);
    }
    for (int cell = 2; ; cell *= 2) {
      int[] kept = new int[Math.min(n, cap + 1)];
      int size = 0;
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < n && (size <= cap || cell >= MAX_CELL); i++) {
        long key = ((long) series[i] << 40) | ((long) (x[i] / cell) << 20) | (long) (y[i] / cell);
        if (seen.add(key)) {
          if (size == kept.length) {
            kept = Arrays.copyOf(kept, size * 2);
          }
          kept[size++] = i;
        }
      }
      if (size <= cap || cell >= MAX_CELL) {
        return new Sample(Arrays.copyOf(kept, size), cell);
      }
    }
  }
}
