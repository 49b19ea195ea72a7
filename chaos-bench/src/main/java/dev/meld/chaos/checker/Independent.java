package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Tuples;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifts a single-key checker to multi-key histories, as Jepsen's {@code independent/checker}: it
 * runs on the subhistory of every key (see {@link Tuples}) and is valid only if every key is.
 *
 * <p>Output: {@code valid} (the merge of every key's), {@code results} (key to result; keys are
 * JSON object keys, so a string key is written as is and any other key as its JSON text) and {@code
 * failures} (the keys whose result is false, as Jepsen, for which unknown is not a failure). A
 * history with no keys at all is {@code "unknown"}, where Jepsen says true of nothing checked.
 */
public final class Independent implements Checker {

  private final Checker checker;
  private final boolean auto;

  private Independent(Checker checker, boolean auto) {
    this.checker = checker;
    this.auto = auto;
  }

  /** Always splits by key. */
  public static Checker of(Checker checker) {
    return new Independent(checker, false);
  }

  /**
   * Splits by key when the history looks keyed ({@link Tuples#isKeyed}), and otherwise runs the
   * checker on the whole history.
   */
  public static Checker auto(Checker checker) {
    return new Independent(checker, true);
  }

  @Override
  public CheckResult check(History history) {
    if (auto && !Tuples.isKeyed(history)) {
      return checker.check(history);
    }
    Map<String, CheckResult> results = new LinkedHashMap<>();
    List<Object> failures = new ArrayList<>();
    List<Validity> verdicts = new ArrayList<>();
    for (Object key : Tuples.keys(history)) {
      String name = key instanceof String ? (String) key : Values.render(key);
      if (results.containsKey(name)) {
        throw new IllegalArgumentException(
            "key: "
                + Values.render(key)
                + " (expected: keys that stay distinct as JSON object keys; \""
                + name
                + "\" is taken)");
      }
      CheckResult r = checker.check(Tuples.subhistory(history, key));
      results.put(name, r);
      verdicts.add(r.valid());
      if (r.valid() == Validity.FALSE) {
        failures.add(key);
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("results", results);
    details.put("failures", failures);
    Validity valid = results.isEmpty() ? Validity.UNKNOWN : Validity.mergeAll(verdicts);
    return CheckResult.of(valid, details);
  }
}
