package dev.meld.chaos.report;

import java.util.List;

/**
 * Throughput over time, as Jepsen's rate graph: completed ops per second in 1 s buckets (by
 * completion time), one line per f and outcome, coloured by outcome and dashed by f. Runs longer
 * than {@link #MAX_BUCKETS} seconds use wider buckets, which the caption states.
 */
final class ThroughputChart {

  static final int MAX_BUCKETS = 1200;
  private static final double HEIGHT = 220;
  private static final long SECOND = 1_000_000_000L;

  private ThroughputChart() {}

  /** Draws the chart; returns its caption. */
  static String render(Html h, OpTimeline t, ChartFrame frame) {
    long bucketNs = bucketNs(frame.horizonNs());
    int buckets = (int) (frame.horizonNs() / bucketNs) + 1;
    int seriesCount = t.fs.size() * 3;
    long[][] counts = new long[seriesCount][];
    for (int i = 0; i < t.size; i++) {
      int s = t.f[i] * 3 + t.type[i];
      if (counts[s] == null) {
        counts[s] = new long[buckets];
      }
      int b = (int) Math.min(buckets - 1, (t.invokeNs[i] + t.latencyNs[i]) / bucketNs);
      counts[s][b]++;
    }
    double seconds = bucketNs / 1e9;
    double max = 0;
    for (long[] c : counts) {
      if (c != null) {
        for (long v : c) {
          max = Math.max(max, v / seconds);
        }
      }
    }
    List<Plot.Legend> legend = Plot.Legend.outcomes();
    legend.addAll(Plot.Legend.dashes(t.fs));
    Plot plot =
        new Plot(
            Axis.linear("ops/s", max, Axis::trim),
            HEIGHT,
            frame.phases(),
            frame.faults(),
            frame.horizonNs(),
            legend);
    plot.open(h, "throughput-chart", "Completed operations per second over time");
    plot.background(h);
    h.open("g", "class", "series");
    for (int s = 0; s < seriesCount; s++) {
      if (counts[s] == null) {
        continue;
      }
      StringBuilder points = new StringBuilder();
      for (int b = 0; b < buckets; b++) {
        long mid = Math.min(b * bucketNs + bucketNs / 2, frame.horizonNs());
        points
            .append(Html.num(plot.x(mid)))
            .append(',')
            .append(Html.num(plot.y(counts[s][b] / seconds)))
            .append(' ');
      }
      int f = s / 3;
      int type = s % 3;
      Plot.series(
          h,
          "polyline",
          "rate " + OpTimeline.TYPES.get(type),
          t.fs.get(f),
          "points",
          points.toString().trim(),
          Palette.lineStyle(Palette.typeColour(type), f));
    }
    plot.finish(h);
    return "Completed ops per second by f and outcome, in "
        + Axis.trim(seconds)
        + " s buckets by completion time.";
  }

  static long bucketNs(long horizonNs) {
    long seconds = Math.max(1, (horizonNs / SECOND + MAX_BUCKETS - 1) / MAX_BUCKETS);
    return seconds * SECOND;
  }
}
