package dev.meld.chaos.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A value axis of a chart: linear from zero with round ticks, or logarithmic over whole decades.
 */
final class Axis {

  final String label;
  final boolean log;
  final double min;
  final double max;
  final List<Double> ticks;
  final DoubleFunction<String> format;

  private Axis(
      String label,
      boolean log,
      double min,
      double max,
      List<Double> ticks,
      DoubleFunction<String> format) {
    this.label = label;
    this.log = log;
    this.min = min;
    this.max = max;
    this.ticks = List.copyOf(ticks);
    this.format = format;
  }

  /** From 0 to a round value at or above {@code maxValue}, about five ticks. */
  static Axis linear(String label, double maxValue, DoubleFunction<String> format) {
    double top = maxValue > 0 ? maxValue : 1;
    double step = niceStep(top / 5);
    double max = Math.ceil(top / step - 1e-9) * step;
    List<Double> ticks = new ArrayList<>();
    for (int i = 0; i * step <= max + step / 1e6; i++) {
      ticks.add(i * step);
    }
    return new Axis(label, false, 0, max, ticks, format);
  }

  /** From 0 to exactly {@code maxValue} (> 0), ticks at about ten round values within it. */
  static Axis span(String label, double maxValue, DoubleFunction<String> format) {
    if (!(maxValue > 0)) {
      throw new IllegalArgumentException("axis span: " + maxValue + " (expected: > 0)");
    }
    double step = niceStep(maxValue / 10);
    List<Double> ticks = new ArrayList<>();
    for (int i = 0; i * step <= maxValue * (1 + 1e-9); i++) {
      ticks.add(i * step);
    }
    return new Axis(label, false, 0, maxValue, ticks, format);
  }

  /** The decades around [minValue, maxValue] (both > 0), at least one decade wide. */
  static Axis log(String label, double minValue, double maxValue, DoubleFunction<String> format) {
    if (!(minValue > 0) || !(maxValue >= minValue)) {
      throw new IllegalArgumentException(
          "log axis: [" + minValue + ", " + maxValue + "] (expected: 0 < min <= max)");
    }
    int lo = (int) Math.floor(Math.log10(minValue));
    int hi = Math.max(lo + 1, (int) Math.ceil(Math.log10(maxValue)));
    List<Double> ticks = new ArrayList<>();
    for (int e = lo; e <= hi; e++) {
      ticks.add(Math.pow(10, e));
    }
    return new Axis(label, true, Math.pow(10, lo), Math.pow(10, hi), ticks, format);
  }

  /** Where v falls, from 0 (min) to 1 (max), clamped. */
  double frac(double v) {
    double f =
        log
            ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
            : (v - min) / (max - min);
    return Math.max(0, Math.min(1, f));
  }

  /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
  static double niceStep(double rough) {
    double p = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= rough * (1 - 1e-9)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** Milliseconds as the tick label reads best: {@code 0.01 ms}, {@code 5 ms}, {@code 10 s}. */
  static String millis(double ms) {
    if (ms >= 1000) {
      return trim(ms / 1000) + " s";
    }
    return trim(ms) + " ms";
  }

  /** A number without trailing zeros: {@code 0.5}, {@code 20}, {@code 1.25}. */
  static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(java.util.Locale.ROOT, "%.6f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
