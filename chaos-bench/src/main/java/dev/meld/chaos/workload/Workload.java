package dev.meld.chaos.workload;

import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.history.OpType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What the clients of a scenario do: which requests they send, on which keys, and which checkers
 * judge the history. One instance serves one run; it may keep state across clients (elements
 * already used, adds a node acknowledged), so every method is safe to call from many threads.
 *
 * <p>A client bound to {@code node} asks {@link #next} for its next request, sends it, and reports
 * the outcome to {@link #completed}. After the run, {@link #finalReads} lists what every node is
 * asked once the cluster has quiesced.
 */
public interface Workload {

  /** {@code counter}, {@code set} or {@code set-removes}. */
  String name();

  /** The keys the workload touches, in a stable order. */
  List<String> keys();

  /**
   * The checkers that judge its history (each per key), by name: the names of {@link
   * dev.meld.chaos.checker.Checkers}, plus checks of the workload's own.
   */
  Map<String, Checker> checkers();

  /** The next request of a client bound to {@code node}. */
  Request next(String node, Random random);

  /** What happened to a request sent to {@code node} ({@code ok}, {@code fail} or {@code info}). */
  void completed(String node, Request request, OpType outcome);

  /**
   * The node lost its data (wiped, or replaced by an empty node of the same name): it holds none
   * of the writes it acknowledged until its peers repair it.
   */
  void nodeLostData(String node);

  /** The final reads to issue on every node: one per key. */
  List<Request> finalReads();

  /** The sets to fill before the warm-up (the runner's {@code PrefillRun} does it); empty: none. */
  default Optional<Prefill> prefill() {
    return Optional.empty();
  }

  /**
   * The per-request timeout its clients and final reads need, when the cluster's default is too
   * short: reading a set of 100,000 members takes a node about a second, more on busy cores.
   * Empty: the cluster's default.
   */
  default Optional<Duration> clientTimeout() {
    return Optional.empty();
  }

  /** A client of {@code node} with this workload's {@link #clientTimeout()}. */
  default NodeClient client(Cluster cluster, String node) {
    return clientTimeout().map(t -> cluster.client(node, t)).orElseGet(() -> cluster.client(node));
  }

  /**
   * {@code node} acknowledged a pre-fill command: {@code elements} are in {@code key}, as if each
   * had been an acknowledged add of that node.
   */
  default void prefilled(String node, String key, List<Long> elements) {}
}
