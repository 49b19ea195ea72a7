package dev.meld.chaos.maelstrom;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One run of the Maelstrom backend.
 *
 * @param bin the node command, run under {@code sh -c} once per node
 * @param workload the workload to drive
 * @param nodes how many node processes ({@code n1} .. {@code nN})
 * @param clients how many clients ({@code c1} .. ), client {@code ci} talking to node {@code
 *     n((i-1) mod N + 1)}, as Maelstrom pins them
 * @param rate client requests per second, all clients together
 * @param timeLimit how long the clients run
 * @param nemeses the faults to inject, in turn: {@code partition}, {@code kill}, {@code pause},
 *     {@code latency}, {@code loss}; empty for none
 * @param nemesisInterval how long each fault lasts, and the calm between two
 * @param requestTimeout a request without a reply after this long is indeterminate ({@code info})
 * @param quiesceLimit how long to wait, after the last heal, for every node to read the same
 * @param startTimeout how long a node may take to answer {@code init}
 * @param seed seeds the clients, the faults and the network
 */
public record MaelstromSettings(
    String bin,
    String workload,
    int nodes,
    int clients,
    double rate,
    Duration timeLimit,
    List<String> nemeses,
    Duration nemesisInterval,
    Duration requestTimeout,
    Duration quiesceLimit,
    Duration startTimeout,
    long seed) {

  /** The faults {@code nemeses} may name. */
  public static final Set<String> NEMESES = Set.of("partition", "kill", "pause", "latency", "loss");

  /** The latency fault: each message between nodes waits this long, plus up to as much again. */
  static final long LATENCY_MILLIS = 100;

  /** The loss fault: each message between nodes is dropped with this probability. */
  static final double LOSS = 0.3;

  public MaelstromSettings {
    Objects.requireNonNull(bin, "bin");
    if (bin.isBlank()) {
      throw new IllegalArgumentException("bin: \"\" (expected: the node command)");
    }
    MaelstromWorkload.named(workload);
    if (nodes < 1 || nodes > 32) {
      throw new IllegalArgumentException("nodes: " + nodes + " (expected: 1..32)");
    }
    if (clients < 1 || clients > 256) {
      throw new IllegalArgumentException("clients: " + clients + " (expected: 1..256)");
    }
    if (!(rate > 0) || rate > 10_000) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: > 0 and <= 10000 per second)");
    }
    nemeses = List.copyOf(nemeses);
    for (String n : nemeses) {
      if (!NEMESES.contains(n)) {
        throw new IllegalArgumentException(
            "nemesis: \"" + n + "\" (expected: partition, kill, pause, latency or loss)");
      }
    }
    if (nemeses.contains("partition") && nodes < 2) {
      throw new IllegalArgumentException("nodes: " + nodes + " (expected: >= 2 with nemesis partition)");
    }
    positive("timeLimit", timeLimit);
    positive("nemesisInterval", nemesisInterval);
    positive("requestTimeout", requestTimeout);
    positive("quiesceLimit", quiesceLimit);
    positive("startTimeout", startTimeout);
  }

  /** Defaults for {@code bin} and {@code workload}: 3 nodes, 3 clients, 20 s, partitions every 2 s. */
  public static MaelstromSettings defaults(String bin, String workload) {
    return new MaelstromSettings(
        bin,
        workload,
        3,
        3,
        30,
        Duration.ofSeconds(20),
        List.of("partition"),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        1);
  }

  public MaelstromSettings withShape(int nodes, int clients, double rate, Duration timeLimit) {
    return new MaelstromSettings(bin, workload, nodes, clients, rate, timeLimit, nemeses,
        nemesisInterval, requestTimeout, quiesceLimit, startTimeout, seed);
  }

  public MaelstromSettings withNemeses(List<String> nemeses, Duration interval) {
    return new MaelstromSettings(bin, workload, nodes, clients, rate, timeLimit, nemeses,
        interval, requestTimeout, quiesceLimit, startTimeout, seed);
  }

  public MaelstromSettings withSeed(long seed) {
    return new MaelstromSettings(bin, workload, nodes, clients, rate, timeLimit, nemeses,
        nemesisInterval, requestTimeout, quiesceLimit, startTimeout, seed);
  }

  public MaelstromSettings withQuiesceLimit(Duration quiesceLimit) {
    return new MaelstromSettings(bin, workload, nodes, clients, rate, timeLimit, nemeses,
        nemesisInterval, requestTimeout, quiesceLimit, startTimeout, seed);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
  }
}
