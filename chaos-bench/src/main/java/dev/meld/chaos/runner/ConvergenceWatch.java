package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeHealth;
import dev.meld.chaos.cluster.NodeUnreachable;
import dev.meld.chaos.workload.FinalReads;
import dev.meld.chaos.workload.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Waits, after the heal, until the nodes have converged: every member answers {@code /health} with
 * the same anti-entropy root digest and an empty replication backlog, and reading every key on
 * every member gives the same values. Polls at a fixed interval, bounded in time and count; the
 * reads are not recorded (the final reads that follow are).
 */
public final class ConvergenceWatch {

  /**
   * What the watch saw.
   *
   * @param convergedNs when every node was first seen to agree (run clock); null if never
   * @param digests each member's root digest at the last poll that reached it
   * @param polls how many polls ran
   * @param lastDisagreement why the last poll did not count as converged; null if it did
   */
  public record Outcome(Long convergedNs, Map<String, String> digests, int polls, String lastDisagreement) {}

  private ConvergenceWatch() {}

  public static Outcome await(
      Cluster cluster,
      Workload workload,
      LongSupplier clock,
      RunTime time,
      long limitMillis,
      long intervalMillis)
      throws InterruptedException {
    Map<String, String> digests = new LinkedHashMap<>();
    Map<String, NodeClient> clients = new LinkedHashMap<>();
    long end = time.nanoTime() + limitMillis * 1_000_000;
    long maxPolls = limitMillis / Math.max(1, intervalMillis) + 1;
    String why = "not polled";
    int polls = 0;
    try {
      while (polls < maxPolls) {
        polls++;
        why = poll(cluster, workload, digests, clients);
        if (why == null) {
          return new Outcome(clock.getAsLong(), digests, polls, null);
        }
        if (time.nanoTime() + intervalMillis * 1_000_000 > end) {
          break;
        }
        time.sleep(intervalMillis);
      }
      return new Outcome(null, digests, polls, why);
    } finally {
      clients.values().forEach(NodeClient::close);
    }
  }

  /** One poll: null if converged, else what disagreed. */
  private static String poll(
      Cluster cluster, Workload workload, Map<String, String> digests, Map<String, NodeClient> clients) {
    List<String> nodes = cluster.nodes();
    digests.keySet().retainAll(nodes);
    for (String node : nodes) {
      try {
        NodeHealth h = cluster.health(node);
        digests.put(node, h.rootDigest());
        if (h.totalBacklog() > 0) {
          return node + " has a replication backlog of " + h.totalBacklog();
        }
      } catch (NodeUnreachable e) {
        return node + " does not answer /health: " + e.getMessage();
      }
    }
    if (digests.values().stream().distinct().count() != 1) {
      return "root digests differ: " + digests;
    }
    Map<String, Object> first = null;
    for (String node : nodes) {
      Map<String, Object> reads;
      try {
        reads = FinalReads.peek(clients.computeIfAbsent(node, n -> workload.client(cluster, n)), workload);
      } catch (RuntimeException e) {
        NodeClient c = clients.remove(node);
        if (c != null) {
          c.close();
        }
        return node + " did not answer a read: " + e.getMessage();
      }
      if (first == null) {
        first = reads;
      } else if (!first.equals(reads)) {
        return "reads differ: " + nodes.get(0) + " " + first + ", " + node + " " + reads;
      }
    }
    return null;
  }
}
