package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Wipe-and-replace ({@code wipe}, one op): one random node is killed, its data directory destroyed,
 * and it starts empty and rejoins. A correct node comes back under a new incarnation and is
 * repaired by its peers; nothing is left to stop.
 */
public final class WipeNemesis implements Nemesis {

  private final String name;
  private final List<String> aimed;

  public WipeNemesis(String name) {
    this(name, List.of());
  }

  private WipeNemesis(String name, List<String> aimed) {
    this.name = name;
    this.aimed = List.copyOf(aimed);
  }

  /** Wipes exactly one named node, instead of a seeded choice. */
  public WipeNemesis aimedAt(List<String> nodes) {
    if (nodes.size() != 1) {
      throw new IllegalArgumentException("targets: " + nodes + " (expected: exactly one node)");
    }
    return new WipeNemesis(name, nodes);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<FaultKind> needs() {
    return Set.of(FaultKind.WIPE);
  }

  @Override
  public NemesisEvent start(Cluster cluster, Random random) {
    String node =
        aimed.isEmpty()
            ? Targets.ONE.pick(cluster.nodes(), random, 0).get(0)
            : Targets.members(aimed, cluster.nodes()).get(0);
    return new NemesisEvent("wipe", List.of(node), List.of(cluster.wipe(node)));
  }

  @Override
  public NemesisEvent stop(Cluster cluster) {
    return new NemesisEvent("wipe-done", null, List.of());
  }
}
