package dev.meld.chaos.runner;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.checker.Independent;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a run's history and mishaps into checker results, the same way for every backend. */
public final class Verdicts {

  /** The pseudo-checker that reports what kept a run from doing what it planned. */
  public static final String RUN = "run";

  private Verdicts() {}

  /**
   * The checker's verdict on {@code history}, per key ({@code independent}). A history the
   * checker cannot read is the bench's fault, not the cluster's: {@code "unknown"} with the error.
   */
  public static CheckResult check(Checker checker, History history) {
    try {
      return Independent.of(checker).check(history);
    } catch (IllegalArgumentException e) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("error", "the history could not be checked: " + e.getMessage());
      return CheckResult.of(Validity.UNKNOWN, details);
    }
  }

  /** Adds the {@value #RUN} pseudo-checker, invalid with {@code errors}, if there are any. */
  public static void addTo(ScenarioResult.Builder result, List<String> errors) {
    if (!errors.isEmpty()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("error-count", errors.size());
      details.put("errors", List.copyOf(errors));
      result.check(RUN, CheckResult.of(Validity.FALSE, details));
    }
  }
}
