package dev.meld.chaos.report;

import dev.meld.chaos.checker.CheckResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The short form of a checker's result that summaries show: its non-zero counts and errors. */
final class CheckSummary {

  private CheckSummary() {}

  /**
   * Up to {@code limit} entries such as {@code "lost-count 2"}: each detail named {@code *-count}
   * that is not zero, in the result's order, then the size of a non-empty {@code errors} and a
   * {@code error} message.
   */
  static List<String> keyCounts(CheckResult result, int limit) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : result.details().entrySet()) {
      Object v = e.getValue();
      if (e.getKey().endsWith("-count") && v instanceof Number && ((Number) v).doubleValue() != 0) {
        out.add(e.getKey() + " " + v);
      }
    }
    Object errors = result.get("errors");
    if (errors instanceof Collection && !((Collection<?>) errors).isEmpty()) {
      out.add("errors " + ((Collection<?>) errors).size());
    }
    Object error = result.get("error");
    if (error instanceof String) {
      out.add((String) error);
    }
    return out.size() <= limit ? out : out.subList(0, limit);
  }
}
