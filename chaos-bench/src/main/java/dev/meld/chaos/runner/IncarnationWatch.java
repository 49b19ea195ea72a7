package dev.meld.chaos.runner;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeUnreachable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that a node comes back from a crash, a wipe or a restore under a new incarnation, as
 * ARCHITECTURE.md's merge core requires (a node without provably intact state must never reuse a
 * (replica, counter) pair; Riak's kv679). Before such a fault it notes every member's incarnation from {@code /health};
 * when the fault ends, each node it hit must report another one. Named {@value #NAME}.
 */
public final class IncarnationWatch {

  /** Its name among a scenario's checks. */
  public static final String NAME = "incarnations";

  private final Cluster cluster;
  private final Map<String, Long> before = new HashMap<>();
  private final List<String> reused = new ArrayList<>();
  private int checked;

  public IncarnationWatch(Cluster cluster) {
    this.cluster = cluster;
  }

  /** Notes every member's incarnation (members that do not answer are not noted). */
  public synchronized void note() {
    for (String node : cluster.nodes()) {
      try {
        before.put(node, cluster.health(node).incarnation());
      } catch (NodeUnreachable e) {
        before.remove(node);
      }
    }
  }

  /** {@code nodes} came back from {@code fault}: each must have a new incarnation. */
  public synchronized void expectNew(List<String> nodes, String fault) {
    for (String node : nodes) {
      Long old = before.remove(node);
      if (old == null) {
        continue;
      }
      try {
        long now = cluster.health(node).incarnation();
        checked++;
        if (now == old) {
          reused.add(node + " came back from " + fault + " under its old incarnation " + old);
        }
      } catch (NodeUnreachable e) {
        // Down after the fault: the fault's own verification reports that.
      }
    }
  }

  /** The check's result, if any node was checked. */
  public synchronized Optional<CheckResult> result() {
    if (checked == 0) {
      return Optional.empty();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checked-count", checked);
    details.put("reused-count", reused.size());
    details.put("reused", List.copyOf(reused));
    return Optional.of(CheckResult.of(Validity.of(reused.isEmpty()), details));
  }
}
