package dev.meld.chaos.report;

import java.util.Locale;

/** Number and duration formats shared by the page, the terminal summary and the progress line. */
final class Fmt {

  private Fmt() {}

  /** Nanoseconds since the start of the run as seconds: {@code 12.3 s}. */
  static String seconds(long ns) {
    return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
  }

  /** A duration in the unit that reads best: {@code 0.42 ms}, {@code 12.3 ms}, {@code 4.56 s}. */
  static String duration(long ns) {
    double ms = ns / 1e6;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f ms", ms);
    }
    if (ms < 1000) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    if (ms < 600_000) {
      return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
    long s = Math.round(ms / 1000);
    return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }

  /** A count with thousands separators: {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
