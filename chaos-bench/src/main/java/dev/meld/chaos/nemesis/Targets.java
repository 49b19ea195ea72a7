package dev.meld.chaos.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** How a nemesis picks the nodes it acts on. */
public enum Targets {
  /** One node, at random. */
  ONE,
  /** A random minority: {@code (n - 1) / 2} nodes, at least one. */
  MINORITY,
  /** One node, the next in start order each time (rolling churn). */
  ROLLING;

  /** {@code nodes}, checked non-empty and free of repeats: the nodes a scenario step names. */
  public static List<String> require(List<String> nodes) {
    if (nodes.isEmpty() || new java.util.HashSet<>(nodes).size() != nodes.size()) {
      throw new IllegalArgumentException(
          "targets: " + nodes + " (expected: at least one node, none twice)");
    }
    return List.copyOf(nodes);
  }

  /**
   * {@code aimed}, once each is checked to be among the cluster's current {@code members}.
   *
   * @throws IllegalArgumentException naming the stranger and the members
   */
  public static List<String> members(List<String> aimed, List<String> members) {
    for (String node : aimed) {
      if (!members.contains(node)) {
        throw new IllegalArgumentException(
            "target: " + node + " (expected: one of the members " + members + ")");
      }
    }
    return aimed;
  }

  /**
   * The targets among {@code nodes}.
   *
   * @param round how many times the nemesis has started before (for {@link #ROLLING})
   */
  List<String> pick(List<String> nodes, Random random, int round) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes: [] (expected: at least one node)");
    }
    return switch (this) {
      case ONE -> List.of(nodes.get(random.nextInt(nodes.size())));
      case ROLLING -> List.of(nodes.get(Math.floorMod(round, nodes.size())));
      case MINORITY -> {
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        yield List.copyOf(shuffled.subList(0, Math.max(1, (nodes.size() - 1) / 2)));
      }
    };
  }
}
