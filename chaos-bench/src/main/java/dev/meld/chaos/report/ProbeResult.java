package dev.meld.chaos.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The probe of every node after one step of the fault schedule, read back from the history's
 * {@code check-probe} nemesis ops: first health (per node: ready, live peers seen, root digest, or
 * unreachable), then convergence (did every node answer with one digest).
 *
 * @param timeNs when it was recorded, ns since the run's start
 * @param after the step it followed, e.g. {@code start kill}
 * @param lane the lane of that step
 * @param answered how many nodes answered {@code /health}
 * @param converged whether every node answered with the same root digest
 * @param nodes per node what was seen: a map of ready, live and digest, or a string saying why not
 */
public record ProbeResult(
    @JsonProperty("time-ns") long timeNs, String after, int lane, int answered, boolean converged, Map<String, Object> nodes) {

  /** The {@code f} of the history op a probe is recorded as. */
  public static final String F = "check-probe";

  public ProbeResult {
    nodes = nodes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
  }

  /** Every probe in {@code history}, in order; ops that are not well-formed probes are skipped. */
  public static List<ProbeResult> of(History history) {
    List<ProbeResult> out = new ArrayList<>();
    for (Op op : history) {
      if (op.isClient() || !F.equals(op.f()) || !(op.value() instanceof Map<?, ?> v)) {
        continue;
      }
      Map<String, Object> nodes = new LinkedHashMap<>();
      if (v.get("nodes") instanceof Map<?, ?> m) {
        m.forEach((k, val) -> nodes.put(String.valueOf(k), val));
      }
      out.add(
          new ProbeResult(
              op.time(),
              String.valueOf(v.get("after")),
              v.get("lane") instanceof Number n ? n.intValue() : -1,
              v.get("answered") instanceof Number n ? n.intValue() : 0,
              Boolean.TRUE.equals(v.get("converged")),
              nodes));
    }
    return out;
  }

  /** One cell per node: {@code ready, 2 live, 9f3a..} or why it did not answer. */
  public String health(String node) {
    Object seen = nodes.get(node);
    if (!(seen instanceof Map<?, ?> m)) {
      return seen == null ? "not probed" : String.valueOf(seen);
    }
    String digest = String.valueOf(m.get("digest"));
    return (Boolean.TRUE.equals(m.get("ready")) ? "ready" : "NOT ready")
        + ", " + m.get("live") + " live, "
        + (digest.length() > 10 ? digest.substring(0, 10) + ".." : digest);
  }
}
