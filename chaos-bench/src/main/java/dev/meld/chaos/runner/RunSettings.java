package dev.meld.chaos.runner;

import java.time.Duration;
import java.util.Objects;

/**
 * How scenarios are run, whatever the backend: the seed, sizes and rates the command line sets.
 *
 * @param seed seeds every schedule and client; scenario {@code i} of a suite runs seed {@code seed
 *     + i}
 * @param nodes nodes per cluster; 0 for each scenario's own
 * @param workloadMillis how long the workload runs (warm-up plus faults); 0 for each scenario's
 *     own
 * @param rate client requests per second over all clients
 * @param clientsPerNode client processes per node
 * @param quiesceLimit how long to wait after the heal for the nodes to converge
 */
public record RunSettings(
    long seed,
    int nodes,
    long workloadMillis,
    double rate,
    int clientsPerNode,
    Duration quiesceLimit) {

  /** Nodes a cluster may have at most. */
  public static final int MAX_NODES = 9;

  public RunSettings {
    if (nodes != 0 && (nodes < 1 || nodes > MAX_NODES)) {
      throw new IllegalArgumentException(
          "nodes: " + nodes + " (expected: 1.." + MAX_NODES + ", or 0 for the scenario's own)");
    }
    if (workloadMillis < 0) {
      throw new IllegalArgumentException(
          "time limit: " + workloadMillis + " ms (expected: >= 0, 0 for the scenario's own)");
    }
    if (!(rate > 0 && rate <= 10_000)) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: in (0, 10000] ops/s)");
    }
    if (clientsPerNode < 1 || clientsPerNode > 64) {
      throw new IllegalArgumentException(
          "clients per node: " + clientsPerNode + " (expected: 1..64)");
    }
    Objects.requireNonNull(quiesceLimit, "quiesceLimit");
    if (quiesceLimit.isNegative() || quiesceLimit.isZero()) {
      throw new IllegalArgumentException(
          "quiesce limit: " + quiesceLimit + " (expected: positive)");
    }
  }

  /** The defaults: seed 1, each scenario's nodes and duration, 60 ops/s, 2 clients per node. */
  public static RunSettings defaults() {
    return new RunSettings(1, 0, 0, 60, 2, Duration.ofSeconds(60));
  }

  public RunSettings withSeed(long v) {
    return new RunSettings(v, nodes, workloadMillis, rate, clientsPerNode, quiesceLimit);
  }

  public RunSettings withNodes(int v) {
    return new RunSettings(seed, v, workloadMillis, rate, clientsPerNode, quiesceLimit);
  }

  public RunSettings withWorkloadMillis(long v) {
    return new RunSettings(seed, nodes, v, rate, clientsPerNode, quiesceLimit);
  }

  public RunSettings withRate(double v) {
    return new RunSettings(seed, nodes, workloadMillis, v, clientsPerNode, quiesceLimit);
  }

  public RunSettings withClientsPerNode(int v) {
    return new RunSettings(seed, nodes, workloadMillis, rate, v, quiesceLimit);
  }

  public RunSettings withQuiesceLimit(Duration v) {
    return new RunSettings(seed, nodes, workloadMillis, rate, clientsPerNode, v);
  }
}
