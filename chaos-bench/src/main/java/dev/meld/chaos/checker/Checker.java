package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;

/**
 * Judges a history, as a Jepsen checker does. A checker is a pure function of the history: it keeps
 * no state between calls and may be reused.
 *
 * <p>A history that the checker cannot interpret (a read of a counter that is not an integer, an
 * add of a negative delta to a grow-only counter) is bad input and raises {@link
 * IllegalArgumentException} naming the op, the value and the expectation.
 */
@FunctionalInterface
public interface Checker {
  CheckResult check(History history);
}
