package dev.meld.chaos.workload;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeClientException;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads after the cluster quiesced: every key on every node, each a {@code final-read} op of its
 * own process (one per node). What they return is the nodes' final state, which {@code
 * pn-counter-final} and {@code set-removes} judge and the convergence check compares.
 */
public final class FinalReads {

  private FinalReads() {}

  /**
   * Reads every key of {@code workload} on each of {@code nodes}, recording each read.
   *
   * @param firstProcess the process number of the first node's reads; the next nodes take the
   *     numbers after it (above every client process of the run)
   * @return node to key to the value read (a counter's value, a set's elements sorted); a read
   *     that did not complete {@code ok} is absent
   */
  public static Map<String, Map<String, Object>> record(
      Cluster cluster, List<String> nodes, Workload workload, ClientHistory history, long firstProcess) {
    Map<String, Map<String, Object>> reads = new LinkedHashMap<>();
    long process = firstProcess;
    for (String node : nodes) {
      Map<String, Object> values = new LinkedHashMap<>();
      try (NodeClient client = workload.client(cluster, node)) {
        for (Request read : workload.finalReads()) {
          Op invocation = history.invoke(process, read, node);
          try {
            Object value = read.execute(client);
            history.complete(invocation, read, OpType.OK, value, null);
            values.put(read.key(), comparable(value));
          } catch (NodeClientException e) {
            history.complete(
                invocation, read, e.indeterminate() ? OpType.INFO : OpType.FAIL, null, e.getMessage());
            if (e.indeterminate()) {
              process++; // an indeterminate op leaves its process; the next read takes a new one
            }
          } catch (RuntimeException e) {
            history.complete(invocation, read, OpType.INFO, null, String.valueOf(e));
            process++;
          }
        }
      }
      reads.put(node, values);
      process++;
    }
    return reads;
  }

  /**
   * Reads every key on {@code client}'s node without recording anything (to poll for
   * convergence): key to value, sets sorted; throws if a read does not complete.
   */
  public static Map<String, Object> peek(NodeClient client, Workload workload) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Request read : workload.finalReads()) {
      values.put(read.key(), comparable(read.execute(client)));
    }
    return values;
  }

  /** A read's value in a form equal on nodes with equal state: set elements sorted. */
  public static Object comparable(Object value) {
    if (value instanceof List) {
      List<Long> sorted = new ArrayList<>();
      for (Object o : (List<?>) value) {
        sorted.add((Long) o);
      }
      sorted.sort(null);
      return sorted;
    }
    return value;
  }
}
