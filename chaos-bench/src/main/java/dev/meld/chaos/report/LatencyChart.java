package dev.meld.chaos.report;

import java.util.List;

/**
 * Latency over time, as Jepsen's latency-raw graph: a point per completed client op at its
 * invocation time, its latency on a log scale in milliseconds, coloured by outcome and marked by f.
 * Beyond {@link #MAX_POINTS} points it draws a deterministic {@link Downsampler sample} and says
 * so.
 */
final class LatencyChart {

  static final int MAX_POINTS = 12_000;
  private static final double HEIGHT = 300;
  private static final int[] DRAW_ORDER = {OpTimeline.OK, OpTimeline.INFO, OpTimeline.FAIL};

  private LatencyChart() {}

  /** Draws the chart; returns the caption, which says how many points were drawn. */
  static String render(Html h, OpTimeline t, ChartFrame frame) {
    Plot plot =
        new Plot(
            latencyAxis(t), HEIGHT, frame.phases(), frame.faults(), frame.horizonNs(), legend(t));
    float[] px = new float[t.size];
    float[] py = new float[t.size];
    int[] series = new int[t.size];
    for (int i = 0; i < t.size; i++) {
      px[i] = (float) (plot.x(t.invokeNs[i]) - Plot.LEFT);
      py[i] = (float) plot.y(t.latencyNs[i] / 1e6);
      series[i] = t.f[i] * 3 + t.type[i];
    }
    Downsampler.Sample sample = Downsampler.select(px, py, series, t.size, MAX_POINTS);
    StringBuilder[] paths = new StringBuilder[t.fs.size() * 3];
    for (int i : sample.kept()) {
      StringBuilder d = paths[series[i]];
      if (d == null) {
        d = paths[series[i]] = new StringBuilder();
      }
      Palette.mark(d, t.f[i], px[i] + Plot.LEFT, py[i]);
    }
    plot.open(h, "latency-chart", "Latency of each operation over time (log scale)");
    plot.background(h);
    h.open("g", "class", "points");
    for (int type : DRAW_ORDER) {
      for (int f = 0; f < t.fs.size(); f++) {
        StringBuilder d = paths[f * 3 + type];
        if (d != null) {
          Plot.series(
              h,
              "path",
              "points " + OpTimeline.TYPES.get(type),
              t.fs.get(f),
              "d",
              d.toString(),
              Palette.markStyle(f, Palette.typeColour(type)));
        }
      }
    }
    plot.finish(h);
    String drawn =
        sample.cellPx() == 0
            ? "All " + Fmt.count(t.size) + " completed ops are drawn."
            : "Downsampled: "
                + Fmt.count(sample.kept().length)
                + " of "
                + Fmt.count(t.size)
                + " completed ops are drawn, the first of each f and outcome in each "
                + sample.cellPx()
                + "\u00d7"
                + sample.cellPx()
                + " px cell (deterministic; outliers are kept).";
    return "Each point is a completed client op at its invocation time; latency is invocation to"
        + " completion. "
        + drawn;
  }

  static Axis latencyAxis(OpTimeline t) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i < t.size; i++) {
      double ms = t.latencyNs[i] / 1e6;
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    if (t.size == 0) {
      min = 1;
      max = 10;
    }
    min = Math.max(min, 0.001);
    return Axis.log("latency (ms)", min, Math.max(max, min), Axis::millis);
  }

  private static List<Plot.Legend> legend(OpTimeline t) {
    List<Plot.Legend> items = Plot.Legend.outcomes();
    for (int f = 0; f < t.fs.size(); f++) {
      items.add(Plot.Legend.mark(f, t.fs.get(f)));
    }
    return items;
  }
}
