package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Membership churn: {@code start-membership} adds a new node (the next spare name) seeded with the
 * current members; it takes data while the workload runs. {@code stop-membership} makes it leave
 * gracefully (it drains to the others, then exits).
 */
public final class MembershipNemesis implements Nemesis {

  private final String name;
  private final List<String> spares;
  private int next;
  private String joined;

  /**
   * @param spares the names new nodes take, in order (a local cluster's reserved spare names)
   */
  public MembershipNemesis(String name, List<String> spares) {
    if (spares.isEmpty()) {
      throw new IllegalArgumentException("spares: [] (expected: at least one name to join as)");
    }
    this.name = name;
    this.spares = List.copyOf(spares);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<FaultKind> needs() {
    return Set.of(FaultKind.JOIN, FaultKind.LEAVE);
  }

  @Override
  public synchronized NemesisEvent start(Cluster cluster, Random random) {
    if (joined != null) {
      throw new IllegalStateException(
          name + ": " + joined + " joined (expected: it leaves before another joins)");
    }
    if (next >= spares.size()) {
      throw new IllegalStateException(
          name + ": every spare name " + spares + " used (expected: one left to join as)");
    }
    joined = spares.get(next++);
    return new NemesisEvent("start-membership", List.of(joined), List.of(cluster.join(joined)));
  }

  @Override
  public synchronized NemesisEvent stop(Cluster cluster) {
    if (joined == null) {
      return new NemesisEvent("stop-membership", null, List.of());
    }
    String leaving = joined;
    joined = null;
    return new NemesisEvent("stop-membership", List.of(leaving), List.of(cluster.leave(leaving)));
  }
}
