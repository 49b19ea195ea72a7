package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeHealth;
import dev.meld.chaos.cluster.NodeUnreachable;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.scenario.Step;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A probe of every node after each step of the fault schedule, as fault-injection controllers
 * probe after each action: first health (does it answer {@code /health}, is it ready, how many
 * members it sees live), then convergence (do the nodes that answered report the same root
 * digest). Recorded in the history as a nemesis op {@code check-probe}, which the report's fault
 * windows skip as a measurement.
 *
 * <pre>
 * {"type":"info","process":"nemesis","f":"check-probe","value":{"after":"start kill",
 *   "nodes":{"n1":{"ready":true,"live":2,"digest":"9f.."},"n2":"unreachable"},
 *   "answered":2,"converged":false}}
 * </pre>
 */
final class StepProbe {

  private StepProbe() {}

  /** Probes every node of {@code cluster} and records what it saw after {@code step}. */
  static Map<String, Object> record(Cluster cluster, HistoryRecorder recorder, Step step) {
    Map<String, Object> nodes = new LinkedHashMap<>();
    Set<String> digests = new LinkedHashSet<>();
    int answered = 0;
    List<String> names = cluster.nodes();
    for (String node : names) {
      try {
        NodeHealth h = cluster.health(node);
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("ready", h.ready());
        seen.put("live", h.members().stream().filter(m -> !m.name().equals(node) && m.live()).count());
        seen.put("digest", h.rootDigest());
        nodes.put(node, seen);
        digests.add(String.valueOf(h.rootDigest()));
        answered++;
      } catch (NodeUnreachable e) {
        nodes.put(node, "unreachable");
      } catch (RuntimeException e) {
        nodes.put(node, "error: " + e.getMessage());
      }
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("after", step.action().name().toLowerCase(java.util.Locale.ROOT) + " " + step.nemesis());
    value.put("lane", step.lane());
    value.put("nodes", nodes);
    value.put("answered", answered);
    value.put("converged", answered == names.size() && digests.size() == 1);
    recorder.nemesis("check-probe", value);
    return value;
  }
}
