package dev.meld.chaos.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The frame of one time chart as inline SVG: the phases band and one lane per fault kind on top,
 * the fault windows shaded across the plot, a time axis in seconds since the start of the run, a
 * value axis, and a legend. A chart draws its data between {@link #background} and {@link
 * #foreground}.
 *
 * <p>The plot area carries its own mapping as data attributes (time {@code data-t0-ns} at {@code
 * data-x0} to {@code data-t1-ns} at {@code data-x1}; value {@code data-y0} at the bottom to {@code
 * data-y1} at the top, on a {@code data-y-scale}) and every shaded window its times ({@code
 * data-start-ns}, {@code data-end-ns}), so a test can read values back and check that the shading
 * sits where the faults were.
 */
final class Plot {

  static final double WIDTH = 1200;
  static final double LEFT = 92;
  static final double RIGHT = 24;
  static final double PLOT_WIDTH = WIDTH - LEFT - RIGHT;
  private static final double AXIS_SPACE = 42;
  private static final double LEGEND_ROW = 20;
  static final double CHAR = 6.4;

  /** One legend entry: a mark of an f, a line, or a colour box. */
  record Legend(char kind, int mark, String colour, String dash, String label) {
    static Legend mark(int mark, String label) {
      return new Legend('m', mark, "#444444", null, label);
    }

    static Legend line(String colour, String dash, String label) {
      return new Legend('l', 0, colour, dash, label);
    }

    static Legend box(String colour, String label) {
      return new Legend('b', 0, colour, null, label);
    }

    /** A colour box per outcome: ok, fail, info. */
    static List<Legend> outcomes() {
      List<Legend> items = new ArrayList<>();
      for (int type = 0; type < OpTimeline.TYPES.size(); type++) {
        items.add(box(Palette.typeColour(type), OpTimeline.TYPES.get(type)));
      }
      return items;
    }

    /** A dash pattern per f. */
    static List<Legend> dashes(List<String> fs) {
      List<Legend> items = new ArrayList<>();
      for (int f = 0; f < fs.size(); f++) {
        items.add(line("#444444", Palette.dash(f), fs.get(f)));
      }
      return items;
    }

    double width() {
      return 30 + label.length() * CHAR + 16;
    }
  }

  private final Axis y;
  private final List<Phase> phases;
  private final List<FaultWindow> faults;
  private final long horizonNs;
  private final List<String> kinds;
  private final List<Legend> legend;
  private final double top;
  private final double plotTop;
  private final double plotHeight;
  private final int legendRows;
  private final Axis time;

  Plot(
      Axis y,
      double plotHeight,
      List<Phase> phases,
      List<FaultWindow> faults,
      long horizonNs,
      List<Legend> legend) {
    this.y = y;
    this.plotHeight = plotHeight;
    this.phases = phases;
    this.faults = faults;
    this.horizonNs = Math.max(1, horizonNs);
    LinkedHashSet<String> k = new LinkedHashSet<>();
    faults.forEach(w -> k.add(w.kind()));
    this.kinds = new ArrayList<>(k);
    this.legend = legend;
    this.top = 8;
    this.plotTop = top + FaultLanes.height(phases, kinds) + 8;
    this.legendRows = rows(legend);
    this.time = Axis.span("time since start (s)", this.horizonNs / 1e9, Axis::trim);
  }

  double height() {
    return plotTop + plotHeight + AXIS_SPACE + legendRows * LEGEND_ROW + 6;
  }

  /** The x of a time in nanoseconds since the start of the run. */
  double x(long ns) {
    return LEFT + time.frac(ns / 1e9) * PLOT_WIDTH;
  }

  /** The y of a value on the value axis. */
  double y(double v) {
    return plotTop + plotHeight - y.frac(v) * plotHeight;
  }

  /** The last time the axis shows, in nanoseconds: the horizon. */
  long axisEndNs() {
    return horizonNs;
  }

  void open(Html h, String cssClass, String title) {
    h.open(
            "svg",
            "xmlns",
            "http://www.w3.org/2000/svg",
            "class",
            "chart " + cssClass,
            "viewBox",
            "0 0 " + Html.num(WIDTH) + " " + Html.num(height()),
            "role",
            "img")
        .el("title", title);
  }

  void background(Html h) {
    areaRect(
        h,
        "plot-area",
        "data-t0-ns",
        "0",
        "data-t1-ns",
        Long.toString(axisEndNs()),
        "data-x0",
        Html.num(LEFT),
        "data-x1",
        Html.num(LEFT + PLOT_WIDTH),
        "data-y-scale",
        y.log ? "log" : "linear",
        "data-y0",
        Axis.trim(y.min),
        "data-y1",
        Axis.trim(y.max));
    h.open("g", "class", "grid");
    for (double v : y.ticks) {
      h.empty(
          "line",
          "x1",
          Html.num(LEFT),
          "x2",
          Html.num(LEFT + PLOT_WIDTH),
          "y1",
          Html.num(y(v)),
          "y2",
          Html.num(y(v)));
    }
    for (double s : time.ticks) {
      double x = x((long) (s * 1e9));
      h.empty(
          "line",
          "x1",
          Html.num(x),
          "x2",
          Html.num(x),
          "y1",
          Html.num(plotTop),
          "y2",
          Html.num(plotTop + plotHeight));
    }
    h.close("g");
    h.open("g", "class", "faults");
    for (FaultWindow w : faults) {
      double x0 = x(w.startNs());
      double x1 = x(w.endOr(horizonNs));
      h.open(
              "rect",
              "class",
              "fault-shade",
              "data-kind",
              w.kind(),
              "data-start-ns",
              Long.toString(w.startNs()),
              "data-end-ns",
              w.endNs() == null ? "" : Long.toString(w.endNs()),
              "x",
              Html.num(x0),
              "y",
              Html.num(plotTop),
              "width",
              Html.num(Math.max(1.5, x1 - x0)),
              "height",
              Html.num(plotHeight),
              "style",
              "fill:" + Palette.faultColour(w.kind()) + ";fill-opacity:0.2")
          .el("title", FaultLanes.describe(w))
          .close("rect");
    }
    h.close("g");
  }

  /**
   * One data series of f {@code f}: an element {@code tag} (path, polyline) of class {@code
   * cssClass}, with {@code data-f} naming the f, its geometry attribute and its style.
   */
  static void series(
      Html h,
      String tag,
      String cssClass,
      String f,
      String geometryAttr,
      String geometry,
      String style) {
    h.empty(tag, "class", cssClass, "data-f", f, geometryAttr, geometry, "style", style);
  }

  /** Closes the data group a chart opened after {@link #background}, draws the rest, closes. */
  void finish(Html h) {
    h.close("g");
    foreground(h);
    close(h);
  }

  private void foreground(Html h) {
    h.open("g", "class", "axes");
    areaRect(h, "frame");
    for (double v : y.ticks) {
      h.el(
          "text",
          y.format.apply(v),
          "x",
          Html.num(LEFT - 6),
          "y",
          Html.num(y(v) + 4),
          "text-anchor",
          "end");
    }
    double base = plotTop + plotHeight;
    for (double s : time.ticks) {
      h.el(
          "text",
          time.format.apply(s),
          "x",
          Html.num(x((long) (s * 1e9))),
          "y",
          Html.num(base + 15),
          "text-anchor",
          "middle");
    }
    h.el(
        "text",
        time.label,
        "class",
        "axis-label",
        "x",
        Html.num(LEFT + PLOT_WIDTH / 2),
        "y",
        Html.num(base + 32),
        "text-anchor",
        "middle");
    h.el(
        "text",
        y.label,
        "class",
        "axis-label",
        "transform",
        "translate(14 " + Html.num(plotTop + plotHeight / 2) + ") rotate(-90)",
        "text-anchor",
        "middle");
    h.close("g");
    FaultLanes.draw(h, this, top, phases, faults, kinds, horizonNs);
    legend(h, base + AXIS_SPACE);
  }

  /** A rect over the plot area, with more attributes after its geometry. */
  private void areaRect(Html h, String cssClass, String... more) {
    String[] geometry = {
      "class", cssClass,
      "x", Html.num(LEFT),
      "y", Html.num(plotTop),
      "width", Html.num(PLOT_WIDTH),
      "height", Html.num(plotHeight)
    };
    String[] all = java.util.Arrays.copyOf(geometry, geometry.length + more.length);
    System.arraycopy(more, 0, all, geometry.length, more.length);
    h.empty("rect", all);
  }

  private void close(Html h) {
    h.close("svg");
  }

  private int rows(List<Legend> items) {
    int rows = items.isEmpty() ? 0 : 1;
    double x = 0;
    for (Legend l : items) {
      if (x + l.width() > WIDTH - LEFT && x > 0) {
        rows++;
        x = 0;
      }
      x += l.width();
    }
    return rows;
  }

  private void legend(Html h, double legendTop) {
    h.open("g", "class", "legend");
    double x = 0;
    double rowY = legendTop;
    for (Legend l : legend) {
      if (x + l.width() > WIDTH - LEFT && x > 0) {
        rowY += LEGEND_ROW;
        x = 0;
      }
      double cx = LEFT + x;
      double cy = rowY + 8;
      if (l.kind() == 'm') {
        StringBuilder d = new StringBuilder();
        Palette.mark(d, l.mark(), cx + 12, cy);
        h.empty("path", "d", d.toString(), "style", Palette.markStyle(l.mark(), l.colour()));
      } else if (l.kind() == 'l') {
        h.empty(
            "line",
            "x1",
            Html.num(cx),
            "x2",
            Html.num(cx + 24),
            "y1",
            Html.num(cy),
            "y2",
            Html.num(cy),
            "style",
            "stroke:" + l.colour() + ";stroke-width:2;stroke-dasharray:" + l.dash());
      } else {
        h.empty(
            "rect",
            "x",
            Html.num(cx + 4),
            "y",
            Html.num(cy - 6),
            "width",
            "16",
            "height",
            "12",
            "style",
            "fill:" + l.colour());
      }
      h.el("text", l.label(), "x", Html.num(cx + 30), "y", Html.num(cy + 4));
      x += l.width();
    }
    h.close("g");
  }
}
