package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The partitions the simulator injects, as pure functions of a node list and a seeded random source
 * (after Jepsen's {@code jepsen.nemesis}): the same nodes in the same order and the same random
 * state give the same grudge.
 *
 * <ul>
 *   <li>{@code halves}: a random half cannot talk to the other half, both ways;
 *   <li>{@code isolated}: one random node cut off from all others, both ways;
 *   <li>{@code bridge}: two halves that cannot hear each other, joined by one node that hears and
 *       is heard by both (so writes cross only through a relay: anti-entropy);
 *   <li>{@code majorities-ring}: nodes on a shuffled ring, each hearing only a majority window
 *       around itself, no two the same window (links may be one-way);
 *   <li>{@code one-way}: a random group's traffic to the rest is dropped, the reverse flows.
 * </ul>
 */
public final class Grudges {

  /** The names {@link #named} accepts, in a fixed order. */
  public static final List<String> NAMES =
      List.of("halves", "isolated", "bridge", "majorities-ring", "one-way");

  private Grudges() {}

  /**
   * The grudge called {@code name} over {@code nodes}.
   *
   * @throws IllegalArgumentException for an unknown name or too few nodes for that grudge
   */
  public static Grudge named(String name, List<String> nodes, RandomGenerator random) {
    switch (name) {
      case "halves":
        return halves(shuffled(nodes, random));
      case "isolated":
        return isolated(nodes, random);
      case "bridge":
        return bridge(shuffled(nodes, random));
      case "majorities-ring":
        return majoritiesRing(shuffled(nodes, random));
      case "one-way":
        return oneWay(nodes, random);
      default:
        throw new IllegalArgumentException(
            "grudge: \"" + name + "\" (expected: one of " + String.join(", ", NAMES) + ")");
    }
  }

  /** The first half of {@code nodes} (the smaller when odd) against the rest, both ways. */
  public static Grudge halves(List<String> nodes) {
    requireAtLeast(nodes, 2);
    int half = nodes.size() / 2;
    return components(List.of(nodes.subList(0, half), nodes.subList(half, nodes.size())));
  }

  /** One node chosen at random, cut off from all others both ways. */
  public static Grudge isolated(List<String> nodes, RandomGenerator random) {
    requireAtLeast(nodes, 2);
    String loner = nodes.get(random.nextInt(nodes.size()));
    List<String> rest = new ArrayList<>(nodes);
    rest.remove(loner);
    return components(List.of(List.of(loner), rest));
  }

  /**
   * Two halves in list order that cannot hear each other, and the first node of the second (larger)
   * half, which hears and is heard by everyone.
   */
  public static Grudge bridge(List<String> nodes) {
    requireAtLeast(nodes, 3);
    int half = nodes.size() / 2;
    String bridge = nodes.get(half);
    Map<String, Set<String>> drops = new TreeMap<>();
    components(List.of(nodes.subList(0, half), nodes.subList(half, nodes.size())))
        .drops()
        .forEach(
            (node, senders) -> {
              if (!node.equals(bridge)) {
                Set<String> without = new TreeSet<>(senders);
                without.remove(bridge);
                drops.put(node, without);
              }
            });
    return Grudge.of(drops);
  }

  /**
   * The nodes on a ring in list order; each hears only the majority window of {@code n / 2 + 1}
   * nodes that has it at position {@code (n / 2 + 1) / 2}: with 5 nodes a node hears itself and its
   * two neighbours, with 3 itself and its predecessor (so a hears c but c does not hear a).
   */
  public static Grudge majoritiesRing(List<String> nodes) {
    requireAtLeast(nodes, 3);
    int n = nodes.size();
    int window = n / 2 + 1;
    int offset = window / 2;
    Map<String, Set<String>> drops = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      Set<String> heard = new TreeSet<>();
      for (int k = 0; k < window; k++) {
        heard.add(nodes.get(Math.floorMod(i - offset + k, n)));
      }
      Set<String> dropped = new TreeSet<>(nodes);
      dropped.removeAll(heard);
      drops.put(nodes.get(i), dropped);
    }
    return Grudge.of(drops);
  }

  /**
   * A random non-empty proper group of {@code nodes} whose traffic to the others is dropped, while
   * the others still reach the group.
   */
  public static Grudge oneWay(List<String> nodes, RandomGenerator random) {
    requireAtLeast(nodes, 2);
    List<String> order = shuffled(nodes, random);
    int cut = 1 + random.nextInt(nodes.size() - 1);
    List<String> mute = order.subList(0, cut);
    Map<String, Set<String>> drops = new TreeMap<>();
    for (String deaf : order.subList(cut, order.size())) {
      drops.put(deaf, new TreeSet<>(mute));
    }
    return Grudge.of(drops);
  }

  /** Disjoint components: no node hears any node outside its own component. */
  public static Grudge components(Collection<? extends Collection<String>> components) {
    Set<String> all = new TreeSet<>();
    for (Collection<String> component : components) {
      for (String node : component) {
        if (!all.add(node)) {
          throw new IllegalArgumentException(
              "components: " + components + " (expected: disjoint; " + node + " is in two)");
        }
      }
    }
    Map<String, Set<String>> drops = new TreeMap<>();
    for (Collection<String> component : components) {
      for (String node : component) {
        Set<String> outside = new TreeSet<>(all);
        outside.removeAll(component);
        drops.put(node, outside);
      }
    }
    return Grudge.of(drops);
  }

  /** A copy of {@code nodes} in a seeded random order (Fisher-Yates). */
  static List<String> shuffled(List<String> nodes, RandomGenerator random) {
    List<String> copy = new ArrayList<>(nodes);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, swap);
    }
    return copy;
  }

  private static void requireAtLeast(List<String> nodes, int minimum) {
    if (nodes.size() < minimum) {
      throw new IllegalArgumentException(
          "nodes: " + nodes.size() + " (expected: >= " + minimum + " for this grudge)");
    }
  }
}
