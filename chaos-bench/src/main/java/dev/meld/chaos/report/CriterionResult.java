package dev.meld.chaos.report;

/**
 * A scenario file's numeric criterion judged on a run, as {@code results.json} and {@code
 * report.html} show it: e.g. {@code p99_latency <= 200ms}, measured 37.2, holds.
 *
 * @param criterion the criterion as written back ({@code convergence_after_heal <= 5000ms})
 * @param measure what was measured ({@code lost}, {@code convergence_after_heal}, {@code
 *     availability}, {@code p99_latency})
 * @param op the comparison ({@code =}, {@code <=}, ...)
 * @param bound the number compared against, in the measure's unit (ms for times)
 * @param measured the value measured, or null if it could not be taken (then it does not hold)
 * @param holds whether it holds
 */
public record CriterionResult(
    String criterion, String measure, String op, double bound, Double measured, boolean holds) {

  public CriterionResult {
    if (criterion == null || criterion.isBlank() || measure == null || op == null) {
      throw new IllegalArgumentException(
          "criterion: " + criterion + ", measure: " + measure + ", op: " + op + " (expected: all given)");
    }
    if (holds && measured == null) {
      throw new IllegalArgumentException(
          "criterion " + criterion + ": holds with nothing measured (expected: a measured value)");
    }
  }

  /** The measured value with its unit, or {@code not measured}. */
  public String measuredText() {
    if (measured == null) {
      return "not measured";
    }
    boolean millis = measure.equals("convergence_after_heal") || measure.equals("p99_latency");
    String number =
        measured == Math.rint(measured) && Math.abs(measured) < 1e15
            ? Long.toString(measured.longValue())
            : String.format(java.util.Locale.ROOT, "%.4g", measured);
    return number + (millis ? " ms" : "");
  }
}
