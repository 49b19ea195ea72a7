package dev.meld.chaos.cluster;

import dev.meld.chaos.cluster.LocalMesh.Link;
import dev.meld.chaos.nemesis.Grudge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@link LocalCluster}'s faults on the mesh: partitions from grudges, heal, slow and lossy links.
 * Each is checked twice: on the proxy server (and by probes), and in the nodes' own views of their
 * peers where a node can see it.
 */
final class MeshFaults implements LinkFaults {

  private final LocalMesh mesh;
  private final PeerViews views;
  private final FaultRunner faults;
  private final List<String> allNodes;
  private final Consumer<String> requireKnown;
  private final Predicate<String> running;
  private final Supplier<List<String>> runningMembers;

  /**
   * @param allNodes every node name the mesh has links for, in order
   * @param requireKnown throws {@link IllegalArgumentException} for an unknown node
   * @param running whether a node runs (only running nodes are asked for their view)
   * @param runningMembers the members that run
   */
  MeshFaults(
      LocalMesh mesh,
      PeerViews views,
      FaultRunner faults,
      List<String> allNodes,
      Consumer<String> requireKnown,
      Predicate<String> running,
      Supplier<List<String>> runningMembers) {
    this.mesh = mesh;
    this.views = views;
    this.faults = faults;
    this.allNodes = List.copyOf(allNodes);
    this.requireKnown = requireKnown;
    this.running = running;
    this.runningMembers = runningMembers;
  }

  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    Set<Link> cut = new LinkedHashSet<>();
    grudge
        .drops()
        .forEach(
            (receiver, senders) -> {
              for (String sender : senders) {
                if (!sender.equals(receiver)) {
                  cut.add(link(sender, receiver));
                }
              }
            });
    return faults.apply(
        FaultKind.PARTITION,
        endsOf(cut),
        () -> mesh.cutExactly(cut) + "; " + views.awaitCut(cut, running));
  }

  /** Every node on either end of a cut link, in the cluster's order. */
  private List<String> endsOf(Set<Link> cut) {
    List<String> targets = new ArrayList<>();
    for (String node : allNodes) {
      if (cut.stream().anyMatch(l -> l.from().equals(node) || l.to().equals(node))) {
        targets.add(node);
      }
    }
    return targets;
  }

  @Override
  public FaultReceipt heal(List<String> members) {
    return faults.apply(
        FaultKind.HEAL,
        members,
        () -> mesh.healAll() + "; " + views.awaitConnected(runningMembers.get()));
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    Link link = link(from, to);
    if (latency.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException(
          "latency: " + latency + ", jitter: " + jitter + " (expected: both >= 0)");
    }
    return faults.apply(FaultKind.SLOW, List.of(from, to), () -> mesh.slow(link, latency, jitter));
  }

  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    Link link = link(from, to);
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability: " + probability + " (expected: in (0, 1])");
    }
    return faults.apply(FaultKind.LOSSY, List.of(from, to), () -> mesh.lossy(link, probability));
  }

  private Link link(String from, String to) {
    requireKnown.accept(from);
    requireKnown.accept(to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("link: " + from + "->" + to + " (expected: two nodes)");
    }
    return new Link(from, to);
  }
}
