package dev.meld.chaos.report;

import java.util.List;
import java.util.Map;

/**
 * Colours, marks and dash patterns of the charts. Colours are from the Okabe-Ito palette, which
 * stays distinguishable under the common colour-vision deficiencies; outcome colours follow
 * Jepsen's perf graphs (ok blue, info orange, fail pink). Every encoding by colour is doubled by a
 * legend label, and f is encoded by shape or dash, never by colour alone.
 */
final class Palette {

  static final List<String> TYPE_COLOURS = List.of("#0072B2", "#CC79A7", "#E69F00");

  static final double[] QUANTILES = {0.5, 0.95, 0.99, 1.0};
  static final List<String> QUANTILE_NAMES = List.of("p50", "p95", "p99", "max");
  static final List<String> QUANTILE_COLOURS = List.of("#0072B2", "#009E73", "#E69F00", "#CC79A7");

  static final List<String> DASHES = List.of("none", "7 3", "2 3", "9 3 2 3", "14 4", "1 5", "5 5");

  private static final Map<String, String> FAULT_COLOURS =
      Map.of(
          "partition", "#56B4E9",
          "kill", "#D55E00",
          "pause", "#F0E442",
          "clock", "#009E73");
  private static final String OTHER_FAULT = "#999999";

  private Palette() {}

  static String typeColour(int type) {
    return TYPE_COLOURS.get(type);
  }

  static String faultColour(String kind) {
    return FAULT_COLOURS.getOrDefault(kind, OTHER_FAULT);
  }

  static String dash(int f) {
    return DASHES.get(f % DASHES.size());
  }

  /** The number of distinct marks; f number k uses mark {@code k % MARKS}. */
  static final int MARKS = 8;

  /** True if the mark is drawn by its stroke (a dot, a cross), false if by its fill. */
  static boolean stroked(int mark) {
    int m = mark % MARKS;
    return m == 0 || m == 4 || m == 5 || m == 7;
  }

  /** Appends the path data of mark {@code mark} centred on (x, y). */
  static void mark(StringBuilder d, int mark, double x, double y) {
    String px = Html.num(x);
    String py = Html.num(y);
    switch (mark % MARKS) {
      case 0: // dot: a zero-length line with a round cap
        d.append('M').append(px).append(' ').append(py).append("h0");
        break;
      case 1: // square
        d.append('M')
            .append(Html.num(x - 2.2))
            .append(' ')
            .append(Html.num(y - 2.2))
            .append("h4.4v4.4h-4.4z");
        break;
      case 2: // triangle
        d.append('M').append(px).append(' ').append(Html.num(y - 3)).append("l2.8 4.8h-5.6z");
        break;
      case 3: // diamond
        d.append('M').append(px).append(' ').append(Html.num(y - 3)).append("l3 3-3 3-3-3z");
        break;
      case 4: // x
        d.append('M')
            .append(Html.num(x - 2.2))
            .append(' ')
            .append(Html.num(y - 2.2))
            .append("l4.4 4.4m0-4.4l-4.4 4.4");
        break;
      case 5: // plus
        d.append('M').append(Html.num(x - 2.8)).append(' ').append(py).append("h5.6m-2.8-2.8v5.6");
        break;
      case 6: // triangle pointing down
        d.append('M').append(px).append(' ').append(Html.num(y + 3)).append("l2.8-4.8h-5.6z");
        break;
      default: // ring
        d.append('M')
            .append(Html.num(x - 2.2))
            .append(' ')
            .append(py)
            .append("a2.2 2.2 0 1 0 4.4 0a2.2 2.2 0 1 0-4.4 0");
        break;
    }
  }

  /** The style attribute of a line in this colour, dashed as f number {@code f}. */
  static String lineStyle(String colour, int f) {
    return "fill:none;stroke-width:1.6;stroke-linejoin:round;stroke-linecap:round;stroke:"
        + colour
        + ";stroke-dasharray:"
        + dash(f);
  }

  /** The style attribute of a path of marks in this colour. */
  static String markStyle(int mark, String colour) {
    return stroked(mark)
        ? "fill:none;stroke:"
            + colour
            + ";stroke-width:"
            + (mark % MARKS == 0 ? "4.4" : "1.5")
            + ";stroke-linecap:round"
        : "fill:" + colour + ";stroke:none";
  }
}
