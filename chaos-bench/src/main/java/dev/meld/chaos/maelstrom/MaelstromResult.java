package dev.meld.chaos.maelstrom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one Maelstrom-backend run found: the checkers' verdict, the op counts, the messages between
 * nodes per client operation, and the convergence time after the last heal.
 *
 * @param serverMessages messages the nodes sent each other from the first client op to the last
 *     heal (dropped ones included: the node paid for them)
 * @param serverDelivered of those, the ones the network delivered
 * @param convergenceMillis from the last heal until every node read the same; null if it never did
 *     within the quiesce limit
 */
public record MaelstromResult(
    MaelstromSettings settings,
    CheckResult check,
    History history,
    long clientOps,
    long serverMessages,
    long serverDelivered,
    long rejectedLines,
    Long convergenceMillis,
    List<Map<String, Object>> faults,
    Duration elapsed) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The run's verdict: the checkers', and false if the nodes never converged or if any node printed
   * a line that was not a message from itself (a protocol violation).
   */
  public Validity valid() {
    Validity v = check.valid();
    if (convergenceMillis == null || rejectedLines > 0) {
      v = v.merge(Validity.FALSE);
    }
    return v;
  }

  /** Node-to-node messages per client operation (Maelstrom's msgs-per-op for servers). */
  public double messagesPerOp() {
    return clientOps == 0 ? 0 : (double) serverMessages / clientOps;
  }

  /** Client ops (final reads aside) of each completion type: ok, fail, info. */
  public Map<String, Long> outcomes() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("ok", count(Op::isOk));
    m.put("fail", count(Op::isFail));
    m.put("info", count(o -> o.isInfo() && o.isClient()));
    return m;
  }

  private long count(java.util.function.Predicate<Op> p) {
    return history.stream()
        .filter(Op::isClient)
        .filter(o -> !o.f().equals("final-read"))
        .filter(p)
        .count();
  }

  /** {@code results.json}. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", valid().json());
    m.put("workload", settings.workload());
    m.put("bin", settings.bin());
    m.put("nodes", settings.nodes());
    m.put("clients", settings.clients());
    m.put("nemeses", settings.nemeses());
    m.put("seed", settings.seed());
    m.put("elapsed-ms", elapsed.toMillis());
    m.put("client-ops", clientOps);
    m.put("outcomes", outcomes());
    m.put("server-messages", serverMessages);
    m.put("server-messages-delivered", serverDelivered);
    m.put("messages-per-op", messagesPerOp());
    m.put("rejected-lines", rejectedLines);
    m.put("convergence-after-heal-ms", convergenceMillis);
    m.put("faults", faults);
    m.put("checks", check.toMap());
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The terminal summary: a few lines. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("maelstrom %s, %d nodes, %s: %s%n", settings.workload(), settings.nodes(),
        settings.nemeses().isEmpty() ? "no faults" : String.join("+", settings.nemeses()),
        verdict(valid())));
    Map<String, Long> o = outcomes();
    s.append(String.format("  ops %d (ok %d, fail %d, info %d), faults %d, %.1f s%n", clientOps, o.get("ok"),
        o.get("fail"), o.get("info"), faults.size(), elapsed.toMillis() / 1000.0));
    s.append(String.format("  messages between nodes: %d (%.2f per op), %d delivered%n", serverMessages,
        messagesPerOp(), serverDelivered));
    s.append(String.format("  convergence after the last heal: %s%n",
        convergenceMillis == null ? "never (within " + settings.quiesceLimit().toSeconds() + " s)" : convergenceMillis + " ms"));
    if (rejectedLines > 0) {
      s.append(String.format("  %d lines on node stdout were not messages from that node%n", rejectedLines));
    }
    boolean composed = check.details().values().stream().anyMatch(v -> v instanceof CheckResult);
    if (composed) {
      for (Map.Entry<String, Object> e : check.details().entrySet()) {
        if (e.getValue() instanceof CheckResult r) {
          s.append(String.format("  %s: %s%s%n", e.getKey(), r.valid().json(), brief(r.details())));
        }
      }
    } else {
      String name = MaelstromWorkload.named(settings.workload()).checkerNames().get(0);
      s.append(String.format("  %s: %s%s%n", name, check.valid().json(), brief(check.details())));
    }
    return s.toString();
  }

  private static String brief(Map<?, ?> r) {
    StringBuilder b = new StringBuilder();
    for (String k : List.of("lost-count", "unexpected-count", "errors", "final-reads", "acceptable")) {
      if (r.containsKey(k)) {
        Object v = r.get(k);
        String text = String.valueOf(v);
        b.append(", ").append(k).append(' ').append(text.length() > 120 ? text.substring(0, 120) + "..." : text);
      }
    }
    return b.toString();
  }

  private static String verdict(Validity v) {
    return v == Validity.TRUE ? "VALID" : v == Validity.FALSE ? "INVALID" : "UNKNOWN";
  }
}
