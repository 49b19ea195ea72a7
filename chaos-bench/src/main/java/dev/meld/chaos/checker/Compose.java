package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs several checkers on the same history, as Jepsen's {@code compose}: the result holds each
 * checker's result under its name, and {@code valid} merges theirs (false over unknown over true).
 */
public final class Compose implements Checker {

  private final Map<String, Checker> checkers;

  /** Composes the checkers, reported in the map's iteration order. */
  public Compose(Map<String, Checker> checkers) {
    if (checkers.isEmpty()) {
      throw new IllegalArgumentException("checkers: none (expected: at least one)");
    }
    if (checkers.containsKey("valid")) {
      throw new IllegalArgumentException("checker name: \"valid\" (expected: another name)");
    }
    this.checkers = new LinkedHashMap<>(checkers);
  }

  @Override
  public CheckResult check(History history) {
    Map<String, Object> results = new LinkedHashMap<>();
    List<Validity> verdicts = new ArrayList<>();
    checkers.forEach(
        (name, checker) -> {
          CheckResult r = checker.check(history);
          results.put(name, r);
          verdicts.add(r.valid());
        });
    return CheckResult.of(Validity.mergeAll(verdicts), results);
  }
}
