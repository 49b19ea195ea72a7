package dev.meld.chaos.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A success criterion of a scenario file, as correctness suites state them: a measure, a
 * comparison and a number, e.g. {@code lost = 0}, {@code convergence_after_heal <= 5s}, {@code
 * availability >= 0.99}, {@code p99_latency <= 200ms}. Times are held in milliseconds.
 *
 * @param measure one of {@link #MEASURES}
 * @param op {@code <=}, {@code >=}, {@code =}, {@code <} or {@code >}
 * @param bound the number, milliseconds for a time measure
 */
public record Criterion(String measure, String op, double bound) {

  /**
   * What a criterion may measure: writes lost (set checkers' {@code lost-count}s plus counter final
   * reads outside the acceptable set), milliseconds from the heal to convergence, the share of
   * client ops that completed {@code ok}, the 99th percentile of ok ops' latency in ms.
   */
  public static final java.util.List<String> MEASURES =
      java.util.List.of("lost", "convergence_after_heal", "availability", "p99_latency");

  private static final Pattern FORM =
      Pattern.compile("\\s*(<=|>=|=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m)?\\s*");

  /** True for measures given in time units. */
  static boolean timed(String measure) {
    return measure.equals("convergence_after_heal") || measure.equals("p99_latency");
  }

  /**
   * Parses {@code "<= 5s"} for {@code measure}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  static Criterion parse(String measure, String text) {
    if (!MEASURES.contains(measure)) {
      throw new IllegalArgumentException(
          "unknown criterion (expected: one of " + String.join(", ", MEASURES) + ")");
    }
    Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" (expected: a comparison and a number, e.g. \"<= 5s\", \">= 0.99\", \"= 0\")");
    }
    double n = Double.parseDouble(m.group(2));
    String unit = m.group(3);
    if (timed(measure)) {
      if (unit == null) {
        throw new IllegalArgumentException("\"" + text + "\" (expected: a time with a unit: ms, s or m)");
      }
      n = unit.equals("ms") ? n : unit.equals("s") ? n * 1000 : n * 60_000;
    } else if (unit != null) {
      throw new IllegalArgumentException("\"" + text + "\" (expected: a plain number, no unit)");
    }
    if (measure.equals("availability") && n > 1) {
      throw new IllegalArgumentException("\"" + text + "\" (expected: a share in 0..1)");
    }
    return new Criterion(measure, m.group(1), n);
  }

  /** Whether {@code measured} meets it. */
  public boolean holds(double measured) {
    switch (op) {
      case "<=":
        return measured <= bound;
      case ">=":
        return measured >= bound;
      case "<":
        return measured < bound;
      case ">":
        return measured > bound;
      default:
        return measured == bound;
    }
  }

  /** As written in a file: {@code p99_latency <= 200ms}. */
  @Override
  public String toString() {
    String b = timed(measure) ? format(bound) + "ms" : format(bound);
    return measure + " " + op + " " + b;
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
