package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.history.Props;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The laws of {@link Downsampler}, over random clouds of points with clusters and outliers. */
class DownsamplerPropertiesTest {

  private record Cloud(float[] x, float[] y, int[] series, int n) {}

  private static Cloud cloud(long seed, int n) {
    Random r = new Random(seed);
    float[] x = new float[n];
    float[] y = new float[n];
    int[] series = new int[n];
    int seriesCount = 1 + r.nextInt(12);
    for (int i = 0; i < n; i++) {
      boolean outlier = r.nextInt(50) == 0;
      x[i] = (float) (r.nextDouble() * 1100);
      y[i] =
          (float)
              (outlier
                  ? r.nextDouble() * 300
                  : Math.max(0, Math.min(300, 150 + r.nextGaussian() * 20)));
      series[i] = r.nextInt(seriesCount);
    }
    return new Cloud(x, y, series, n);
  }

  /**
   * Law: the sample is a subset in input order, the same on every call, at most the cap (or one
   * point per series, when there are more series than the cap), and the identity when the points
   * fit under the cap.
   */
  @Test
  void theSampleIsABoundedDeterministicSubset() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(0, 5000), integers().between(1, 800))
                .checkAssert(
                    (seed, n, cap) -> {
                      Cloud c = cloud(seed, n);
                      Downsampler.Sample s = Downsampler.select(c.x, c.y, c.series, c.n, cap);
                      Downsampler.Sample again = Downsampler.select(c.x, c.y, c.series, c.n, cap);
                      assertThat(again.kept()).isEqualTo(s.kept());
                      long seriesCount = java.util.Arrays.stream(c.series).distinct().count();
                      assertThat(s.kept().length)
                          .isLessThanOrEqualTo((int) Math.max(cap, seriesCount))
                          .isLessThanOrEqualTo(n);
                      for (int i = 1; i < s.kept().length; i++) {
                        assertThat(s.kept()[i]).isGreaterThan(s.kept()[i - 1]);
                      }
                      if (n <= cap) {
                        assertThat(s.kept()).hasSize(n);
                        assertThat(s.cellPx()).isZero();
                      }
                    }));
  }

  /**
   * Law: every point has a kept point of its own series in its cell, so no series and no lone
   * outlier disappears; only points crowded into a cell with another of their series are dropped.
   */
  @Test
  void everyOccupiedCellOfEverySeriesKeepsAPoint() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(0, 5000), integers().between(40, 800))
                .checkAssert(
                    (seed, n, cap) -> {
                      Cloud c = cloud(seed, n);
                      Downsampler.Sample s = Downsampler.select(c.x, c.y, c.series, c.n, cap);
                      int cell = Math.max(1, s.cellPx());
                      Set<String> kept = new HashSet<>();
                      for (int i : s.kept()) {
                        kept.add(
                            c.series[i]
                                + ":"
                                + (int) (c.x[i] / cell)
                                + ":"
                                + (int) (c.y[i] / cell));
                      }
                      for (int i = 0; i < n; i++) {
                        String key =
                            c.series[i] + ":" + (int) (c.x[i] / cell) + ":" + (int) (c.y[i] / cell);
                        assertThat(kept).as("cell of point %d", i).contains(key);
                      }
                    }));
  }
}
