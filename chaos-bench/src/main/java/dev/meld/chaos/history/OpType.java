package dev.meld.chaos.history;

import java.util.Locale;

/**
 * The type of an op in Jepsen's model: an {@code invoke} starts an operation, and {@code ok} (it
 * happened), {@code fail} (it certainly did not happen) or {@code info} (unknown: a timeout or a
 * lost connection) completes it.
 */
public enum OpType {
  INVOKE,
  OK,
  FAIL,
  INFO;

  /** The name used in histories: {@code invoke}, {@code ok}, {@code fail} or {@code info}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a history name.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static OpType parse(String name) {
    for (OpType t : values()) {
      if (t.json().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "type: \"" + name + "\" (expected: one of invoke, ok, fail, info)");
  }
}
