package dev.meld.chaos.report;

import dev.meld.chaos.checker.Validity;
import java.util.List;

/**
 * The verdict of a suite of scenarios and the exit code that goes with it, consistent with {@code
 * meld-chaos check}: {@value #VALID} when every scenario that ran is valid, {@value #INVALID} when
 * any has a violation, {@value #UNKNOWN} when none has a violation but one could not be decided, or
 * when nothing ran at all (every scenario skipped). Skipped scenarios next to valid ones do not
 * change the code; the summary lists them.
 */
public final class SuiteVerdict {

  public static final int VALID = 0;
  public static final int INVALID = 1;
  public static final int UNKNOWN = 3;

  private SuiteVerdict() {}

  public static Validity of(List<ScenarioResult> results) {
    Validity v = Validity.TRUE;
    boolean ran = false;
    for (ScenarioResult r : results) {
      if (r.valid() == Validity.FALSE) {
        return Validity.FALSE;
      }
      if (!r.wasSkipped()) {
        ran = true;
        v = v.merge(r.valid());
      }
    }
    return ran ? v : Validity.UNKNOWN;
  }

  public static int exitCode(List<ScenarioResult> results) {
    Validity v = of(results);
    return v == Validity.TRUE ? VALID : v == Validity.FALSE ? INVALID : UNKNOWN;
  }

  /** {@code VALID}, {@code INVALID} or {@code UNKNOWN}. */
  public static String word(Validity v) {
    return v == Validity.TRUE ? "VALID" : v == Validity.FALSE ? "INVALID" : "UNKNOWN";
  }

  /** The verdict word of a scenario, {@code SKIPPED} if it did not run. */
  public static String word(ScenarioResult r) {
    return r.wasSkipped() && r.valid() != Validity.FALSE ? "SKIPPED" : word(r.valid());
  }
}
