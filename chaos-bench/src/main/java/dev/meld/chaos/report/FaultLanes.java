package dev.meld.chaos.report;

import java.util.List;

/**
 * The lanes above a time chart: a band with the run's phases, then one lane per fault kind with a
 * bar for each window of that kind, labelled with its targets where the label fits. A bar of a
 * fault that failed verification is outlined and labelled {@code NOT VERIFIED}.
 */
final class FaultLanes {

  private static final double LANE = 16;

  private FaultLanes() {}

  /** The height the lanes take. */
  static double height(List<Phase> phases, List<String> kinds) {
    return (phases.isEmpty() ? 0 : LANE + 4) + kinds.size() * LANE;
  }

  static void draw(
      Html h,
      Plot plot,
      double top,
      List<Phase> phases,
      List<FaultWindow> faults,
      List<String> kinds,
      long horizonNs) {
    h.open("g", "class", "lanes");
    double laneY = top;
    if (!phases.isEmpty()) {
      laneLabel(h, "phase", laneY);
      int i = 0;
      for (Phase p : phases) {
        double x0 = plot.x(p.startNs());
        double w = Math.max(1, plot.x(p.endNs()) - x0);
        h.open(
                "rect",
                "class",
                "phase phase-" + (i++ % 2),
                "x",
                Html.num(x0),
                "y",
                Html.num(laneY),
                "width",
                Html.num(w),
                "height",
                Html.num(LANE - 2))
            .el(
                "title",
                p.name() + ": " + Fmt.seconds(p.startNs()) + " to " + Fmt.seconds(p.endNs()))
            .close("rect");
        if (p.name().length() * Plot.CHAR + 6 < w) {
          h.el(
              "text",
              p.name(),
              "class",
              "phase-label",
              "x",
              Html.num(x0 + 4),
              "y",
              Html.num(laneY + 11));
        }
      }
      laneY += LANE + 4;
    }
    for (String kind : kinds) {
      laneLabel(h, kind, laneY);
      for (FaultWindow w : faults) {
        if (!w.kind().equals(kind)) {
          continue;
        }
        double x0 = plot.x(w.startNs());
        double width = Math.max(2, plot.x(w.endOr(horizonNs)) - x0);
        h.open(
                "rect",
                "class",
                "fault-bar" + (w.failedVerification() ? " unverified" : ""),
                "x",
                Html.num(x0),
                "y",
                Html.num(laneY),
                "width",
                Html.num(width),
                "height",
                Html.num(LANE - 3),
                "style",
                "fill:" + Palette.faultColour(kind))
            .el("title", describe(w))
            .close("rect");
        String label =
            (w.failedVerification() ? "NOT VERIFIED " : "") + String.join(" ", w.targets());
        if (!label.isBlank() && label.length() * Plot.CHAR + 6 < width) {
          h.el(
              "text",
              label,
              "class",
              "fault-label",
              "x",
              Html.num(x0 + 3),
              "y",
              Html.num(laneY + 10));
        }
      }
      laneY += LANE;
    }
    h.close("g");
  }

  private static void laneLabel(Html h, String label, double laneY) {
    h.el(
        "text",
        label,
        "class",
        "lane-label",
        "x",
        Html.num(Plot.LEFT - 6),
        "y",
        Html.num(laneY + 11.5),
        "text-anchor",
        "end");
  }

  /** The tooltip of a fault: kind, targets, times, and whether it failed verification. */
  static String describe(FaultWindow w) {
    return w.kind()
        + (w.targets().isEmpty() ? "" : " " + String.join(" ", w.targets()))
        + ": "
        + Fmt.seconds(w.startNs())
        + " to "
        + (w.endNs() == null ? "the end (never healed)" : Fmt.seconds(w.endNs()))
        + (w.failedVerification() ? ", did NOT take effect" : "");
  }
}
