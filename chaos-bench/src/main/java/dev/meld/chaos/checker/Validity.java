package dev.meld.chaos.checker;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A checker's verdict, written as Jepsen writes {@code :valid?}: {@code true}, {@code false} or
 * {@code "unknown"} (the history could not decide, e.g. a set that was never read).
 */
public enum Validity {
  TRUE,
  UNKNOWN,
  FALSE;

  public static Validity of(boolean valid) {
    return valid ? TRUE : FALSE;
  }

  /**
   * Combines two verdicts as Jepsen's {@code merge-valid} does: false dominates unknown, which
   * dominates true.
   */
  public Validity merge(Validity other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /** Merges all verdicts; true for none. */
  public static Validity mergeAll(Iterable<Validity> verdicts) {
    Validity v = TRUE;
    for (Validity each : verdicts) {
      v = v.merge(each);
    }
    return v;
  }

  /** {@code true}, {@code false} or {@code "unknown"}. */
  @JsonValue
  public Object json() {
    return this == UNKNOWN ? "unknown" : this == TRUE;
  }
}
