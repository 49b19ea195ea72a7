package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Mesh partitions shaped by a grudge ({@code start-partition}, with the grudge as value), healed by
 * {@code stop-partition}. Clients keep reaching every node, so both sides keep taking writes.
 */
public final class PartitionNemesis implements Nemesis {

  private final String name;
  private final BiFunction<List<String>, Random, Grudge<String>> grudge;
  private boolean started;

  /**
   * @param grudge picks the grudge from the current members and the random source (see {@link
   *     Grudges#named})
   */
  public PartitionNemesis(String name, BiFunction<List<String>, Random, Grudge<String>> grudge) {
    this.name = name;
    this.grudge = grudge;
  }

  /** A one-way cut: for a random ordered pair (a, b), b drops what a sends; a still hears b. */
  public static Grudge<String> oneWay(List<String> nodes, Random random) {
    if (nodes.size() < 2) {
      throw new IllegalArgumentException(
          "nodes: " + nodes + " (expected: at least two for a one-way cut)");
    }
    int a = random.nextInt(nodes.size());
    int b = (a + 1 + random.nextInt(nodes.size() - 1)) % nodes.size();
    return new Grudge<>(Map.of(nodes.get(b), Set.of(nodes.get(a))));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<FaultKind> needs() {
    return Set.of(FaultKind.PARTITION, FaultKind.HEAL);
  }

  @Override
  public synchronized NemesisEvent start(Cluster cluster, Random random) {
    Grudge<String> g = grudge.apply(cluster.nodes(), random);
    started = true;
    return new NemesisEvent("start-partition", g.drops(), List.of(cluster.partition(g)));
  }

  @Override
  public synchronized NemesisEvent stop(Cluster cluster) {
    if (!started) {
      return new NemesisEvent("stop-partition", null, List.of());
    }
    started = false;
    return new NemesisEvent("stop-partition", null, List.of(cluster.heal()));
  }
}
