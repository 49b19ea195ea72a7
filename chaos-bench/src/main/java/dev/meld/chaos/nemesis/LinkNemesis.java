package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Degrades every mesh link to and from one random node: a slow peer ({@code start-slow}, latency
 * well beyond the replication timeout) or a lossy one ({@code start-lossy}, connections cut
 * mid-message). {@code stop-slow} / {@code stop-lossy} heal the mesh.
 */
public final class LinkNemesis implements Nemesis {

  private final String name;
  private final boolean lossy;
  private final Duration latency;
  private final Duration jitter;
  private final double probability;
  private final List<String> aimed;
  private boolean started;

  private LinkNemesis(
      String name, boolean lossy, Duration latency, Duration jitter, double probability) {
    this(name, lossy, latency, jitter, probability, List.of());
  }

  private LinkNemesis(
      String name,
      boolean lossy,
      Duration latency,
      Duration jitter,
      double probability,
      List<String> aimed) {
    this.aimed = List.copyOf(aimed);
    this.name = name;
    this.lossy = lossy;
    this.latency = latency;
    this.jitter = jitter;
    this.probability = probability;
  }

  /** Delays everything one node sends and receives on the mesh by {@code latency ± jitter}. */
  public static LinkNemesis slow(String name, Duration latency, Duration jitter) {
    return new LinkNemesis(name, false, latency, jitter, 0);
  }

  /** Cuts each connection to and from one node with {@code probability}, mid-message. */
  public static LinkNemesis lossy(String name, double probability) {
    return new LinkNemesis(name, true, Duration.ZERO, Duration.ZERO, probability);
  }

  /** The same degradation on exactly one named node, instead of a seeded choice. */
  public LinkNemesis aimedAt(List<String> nodes) {
    if (nodes.size() != 1) {
      throw new IllegalArgumentException("targets: " + nodes + " (expected: exactly one node)");
    }
    return new LinkNemesis(name, lossy, latency, jitter, probability, nodes);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<FaultKind> needs() {
    return Set.of(lossy ? FaultKind.LOSSY : FaultKind.SLOW, FaultKind.HEAL);
  }

  private String kind() {
    return lossy ? "lossy" : "slow";
  }

  @Override
  public synchronized NemesisEvent start(Cluster cluster, Random random) {
    List<String> nodes = cluster.nodes();
    String peer =
        aimed.isEmpty()
            ? Targets.ONE.pick(nodes, random, 0).get(0)
            : Targets.members(aimed, nodes).get(0);
    List<FaultReceipt> receipts = new ArrayList<>();
    for (String other : nodes) {
      if (!other.equals(peer)) {
        receipts.add(degrade(cluster, peer, other));
        receipts.add(degrade(cluster, other, peer));
      }
    }
    started = true;
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("node", peer);
    if (lossy) {
      value.put("probability", probability);
    } else {
      value.put("latency-ms", latency.toMillis());
      value.put("jitter-ms", jitter.toMillis());
    }
    return new NemesisEvent("start-" + kind(), value, receipts);
  }

  private FaultReceipt degrade(Cluster cluster, String from, String to) {
    return lossy ? cluster.lossy(from, to, probability) : cluster.slow(from, to, latency, jitter);
  }

  @Override
  public synchronized NemesisEvent stop(Cluster cluster) {
    if (!started) {
      return new NemesisEvent("stop-" + kind(), null, List.of());
    }
    started = false;
    return new NemesisEvent("stop-" + kind(), null, List.of(cluster.heal()));
  }
}
