package dev.meld.chaos.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Latency quantiles over time, as Jepsen's latency-quantiles graph: for each f, the p50, p95, p99
 * and maximum latency of the ops invoked in each time bucket (every outcome: an {@code info}'s
 * latency is its timeout), on the log scale of the latency chart. Coloured by quantile, dashed by
 * f; a bucket without ops breaks the line.
 */
final class QuantileChart {

  private static final double HEIGHT = 260;
  private static final int TARGET_BUCKETS = 150;
  private static final long SECOND = 1_000_000_000L;

  private QuantileChart() {}

  /** Draws the chart; returns its caption. */
  static String render(Html h, OpTimeline t, ChartFrame frame) {
    long bucketNs =
        Math.max(1, (frame.horizonNs() / SECOND + TARGET_BUCKETS - 1) / TARGET_BUCKETS) * SECOND;
    int buckets = (int) (frame.horizonNs() / bucketNs) + 1;
    int groups = t.fs.size() * buckets;
    // Counting sort of latencies by (f, bucket), then a sort within each group.
    int[] start = new int[groups + 1];
    for (int i = 0; i < t.size; i++) {
      start[group(t, i, buckets, bucketNs) + 1]++;
    }
    for (int g = 0; g < groups; g++) {
      start[g + 1] += start[g];
    }
    long[] sorted = new long[t.size];
    int[] fill = Arrays.copyOf(start, groups);
    for (int i = 0; i < t.size; i++) {
      sorted[fill[group(t, i, buckets, bucketNs)]++] = t.latencyNs[i];
    }
    for (int g = 0; g < groups; g++) {
      Arrays.sort(sorted, start[g], start[g + 1]);
    }
    List<Plot.Legend> legend = new ArrayList<>();
    for (int q = 0; q < Palette.QUANTILES.length; q++) {
      legend.add(Plot.Legend.box(Palette.QUANTILE_COLOURS.get(q), Palette.QUANTILE_NAMES.get(q)));
    }
    legend.addAll(Plot.Legend.dashes(t.fs));
    Plot plot =
        new Plot(
            LatencyChart.latencyAxis(t),
            HEIGHT,
            frame.phases(),
            frame.faults(),
            frame.horizonNs(),
            legend);
    plot.open(h, "quantile-chart", "Latency quantiles over time (log scale)");
    plot.background(h);
    h.open("g", "class", "series");
    for (int f = 0; f < t.fs.size(); f++) {
      for (int q = 0; q < Palette.QUANTILES.length; q++) {
        StringBuilder d = new StringBuilder();
        int run = 0;
        for (int b = 0; b <= buckets; b++) {
          int g = f * buckets + b;
          if (b == buckets || start[g] == start[g + 1]) {
            if (run == 1) {
              d.append("h0"); // a run of one bucket: a dot, thanks to the round cap
            }
            run = 0;
            continue;
          }
          long v = Quantiles.of(sorted, start[g], start[g + 1], Palette.QUANTILES[q]);
          long mid = Math.min(b * bucketNs + bucketNs / 2, frame.horizonNs());
          d.append(run > 0 ? 'L' : 'M')
              .append(Html.num(plot.x(mid)))
              .append(' ')
              .append(Html.num(plot.y(v / 1e6)));
          run++;
        }
        if (d.length() > 0) {
          Plot.series(
              h,
              "path",
              "quantile q" + Palette.QUANTILE_NAMES.get(q),
              t.fs.get(f),
              "d",
              d.toString(),
              Palette.lineStyle(Palette.QUANTILE_COLOURS.get(q), f));
        }
      }
    }
    plot.finish(h);
    return "Latency quantiles of the ops of each f invoked in each "
        + Axis.trim(bucketNs / 1e9)
        + " s bucket, every outcome (an info's latency is its timeout).";
  }

  private static int group(OpTimeline t, int i, int buckets, long bucketNs) {
    return t.f[i] * buckets + (int) Math.min(buckets - 1, t.invokeNs[i] / bucketNs);
  }
}
