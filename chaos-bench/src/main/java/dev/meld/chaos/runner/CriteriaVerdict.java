package dev.meld.chaos.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.report.OpCounts;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.scenario.Criterion;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario file's numeric criteria judged on a finished run: each criterion with the value
 * measured and whether it holds. A criterion whose measure could not be taken (no convergence, no
 * ok op) does not hold.
 *
 * <ul>
 *   <li>{@code lost}: the set checkers' {@code lost-count}s plus the final reads {@code
 *       pn-counter-final} found outside the acceptable set;
 *   <li>{@code convergence_after_heal}: ms from the heal until the nodes were seen to converge;
 *   <li>{@code availability}: ok client ops over all client ops (fail and info count against);
 *   <li>{@code p99_latency}: the 99th percentile (nearest rank) of ok client ops' latency, in ms.
 * </ul>
 */
public final class CriteriaVerdict {

  /** One criterion and what was measured; {@code measured} is null when it could not be taken. */
  public record Measured(Criterion criterion, Double measured, boolean holds) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CriteriaVerdict() {}

  /** Judges {@code criteria} on a run's result and its history. */
  public static List<Measured> judge(List<Criterion> criteria, ScenarioResult result, History history) {
    List<Measured> out = new ArrayList<>();
    for (Criterion c : criteria) {
      Double v = measure(c.measure(), result, history);
      out.add(new Measured(c, v, v != null && c.holds(v)));
    }
    return out;
  }

  /** The rows {@code results.json} and {@code report.html} show. */
  public static List<dev.meld.chaos.report.CriterionResult> rows(List<Measured> measured) {
    return measured.stream()
        .map(m -> new dev.meld.chaos.report.CriterionResult(
            m.criterion().toString(), m.criterion().measure(), m.criterion().op(), m.criterion().bound(),
            m.measured(), m.holds()))
        .toList();
  }

  /** True if every criterion holds (and for none). */
  public static boolean allHold(List<Measured> measured) {
    return measured.stream().allMatch(Measured::holds);
  }

  static Double measure(String measure, ScenarioResult result, History history) {
    switch (measure) {
      case "lost":
        return lost(result.checks().values());
      case "convergence_after_heal":
        Long ns = result.convergence() == null ? null : result.convergence().convergenceNs();
        return ns == null ? null : ns / 1e6;
      case "availability":
        OpCounts total = result.totalOps();
        return total.total() == 0 ? null : (double) total.ok() / total.total();
      case "p99_latency":
        return p99OkLatencyMillis(history);
      default:
        throw new IllegalArgumentException("measure: \"" + measure + "\" (expected: one of " + Criterion.MEASURES + ")");
    }
  }

  private static double lost(Collection<CheckResult> checks) {
    double lost = 0;
    for (CheckResult r : checks) {
      if (r.get("lost-count") instanceof Number n) {
        lost += n.doubleValue();
      }
      if (r.get("acceptable") != null && r.get("errors") instanceof List<?> errors) {
        lost += errors.size(); // pn-counter-final: final reads no subset of the adds explains
      }
    }
    return lost;
  }

  /** Nearest-rank p99 of ok client ops' latency (invoke to completion), ms; null with none. */
  static Double p99OkLatencyMillis(History history) {
    if (history == null) {
      return null;
    }
    Map<Object, Op> open = new HashMap<>();
    List<Long> latencies = new ArrayList<>();
    for (Op op : history) {
      if (!op.isClient()) {
        continue;
      }
      if (op.isInvoke()) {
        open.put(op.process(), op);
      } else {
        Op invoke = open.remove(op.process());
        if (invoke != null && op.isOk()) {
          latencies.add(op.time() - invoke.time());
        }
      }
    }
    if (latencies.isEmpty()) {
      return null;
    }
    latencies.sort(null);
    int rank = (int) Math.ceil(0.99 * latencies.size());
    return latencies.get(Math.max(0, rank - 1)) / 1e6;
  }

  /** {@code criteria.json}: each criterion, its bound, the value measured and whether it holds. */
  public static String toJson(List<Measured> measured) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Measured m : measured) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("criterion", m.criterion().toString());
      row.put("measure", m.criterion().measure());
      row.put("op", m.criterion().op());
      row.put("bound", m.criterion().bound());
      row.put("measured", m.measured());
      row.put("holds", m.holds());
      rows.add(row);
    }
    try {
      return JSON.writeValueAsString(Map.of("criteria", rows, "valid", allHold(measured)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One terminal line per criterion: {@code   p99_latency <= 200ms: 37.2 ms  ok}. */
  public static String render(List<Measured> measured) {
    StringBuilder s = new StringBuilder();
    for (Measured m : measured) {
      String unit = m.criterion().measure().equals("convergence_after_heal")
              || m.criterion().measure().equals("p99_latency") ? " ms" : "";
      String v = m.measured() == null ? "not measured" : String.format("%.4g", m.measured()) + unit;
      s.append(String.format("  criterion %-32s measured %-16s %s%n", m.criterion(), v, m.holds() ? "HOLDS" : "FAILS"));
    }
    return s.toString();
  }
}
