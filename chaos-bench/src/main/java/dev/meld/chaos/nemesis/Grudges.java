package dev.meld.chaos.nemesis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Pure functions from a node list (and a seeded {@link Random}, where they choose) to a {@link
 * Grudge}, after Jepsen's {@code jepsen.nemesis}. The same nodes and the same seed always give the
 * same grudge.
 */
public final class Grudges {

  private static final Map<String, BiFunction<List<Object>, Random, Grudge<Object>>> NAMED =
      new LinkedHashMap<>();

  static {
    NAMED.put("halves", (nodes, random) -> halves(nodes));
    NAMED.put("random-halves", Grudges::randomHalves);
    NAMED.put("one", Grudges::isolateOne);
    NAMED.put("bridge", Grudges::bridge);
    NAMED.put("majorities-ring", Grudges::majoritiesRing);
  }

  private Grudges() {}

  /** The names of {@link #named}. */
  public static List<String> names() {
    return List.copyOf(NAMED.keySet());
  }

  /**
   * A grudge function by name: {@code halves}, {@code random-halves}, {@code one}, {@code bridge}
   * or {@code majorities-ring}.
   *
   * @throws IllegalArgumentException for any other name
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <N> BiFunction<List<N>, Random, Grudge<N>> named(String name) {
    BiFunction f = NAMED.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "grudge: \"" + name + "\" (expected: one of " + String.join(", ", names()) + ")");
    }
    return f;
  }

  /** Jepsen's {@code bisect}: the first half (the smaller when n is odd) and the rest. */
  public static <N> List<List<N>> bisect(List<N> nodes) {
    int half = nodes.size() / 2;
    return List.of(
        List.copyOf(nodes.subList(0, half)), List.copyOf(nodes.subList(half, nodes.size())));
  }

  /** Jepsen's {@code split-one}: one node chosen at random, alone, and the rest. */
  public static <N> List<List<N>> splitOne(List<N> nodes, Random random) {
    requireAtLeast(nodes, 2);
    N loner = nodes.get(random.nextInt(nodes.size()));
    List<N> rest = new ArrayList<>(nodes);
    rest.remove(loner);
    return List.of(List.of(loner), List.copyOf(rest));
  }

  /**
   * Jepsen's {@code complete-grudge}: no node hears from any node outside its own component.
   *
   * @throws IllegalArgumentException if a node is in two components
   */
  public static <N> Grudge<N> complete(Collection<? extends Collection<N>> components) {
    Set<N> universe = new LinkedHashSet<>();
    for (Collection<N> component : components) {
      for (N node : component) {
        if (!universe.add(node)) {
          throw new IllegalArgumentException(
              "components: " + components + " (expected: disjoint; " + node + " is in two)");
        }
      }
    }
    Map<N, Set<N>> drops = new LinkedHashMap<>();
    for (Collection<N> component : components) {
      Set<N> outside = new LinkedHashSet<>(universe);
      outside.removeAll(component);
      for (N node : component) {
        drops.put(node, outside);
      }
    }
    return new Grudge<>(drops);
  }

  /** Jepsen's {@code partition-halves}: the first half against the second, in list order. */
  public static <N> Grudge<N> halves(List<N> nodes) {
    requireAtLeast(nodes, 2);
    return complete(bisect(nodes));
  }

  /** Jepsen's {@code partition-random-halves}: halves of a shuffled copy of the list. */
  public static <N> Grudge<N> randomHalves(List<N> nodes, Random random) {
    return halves(shuffled(nodes, random));
  }

  /** Jepsen's {@code partition-random-node}: one random node cut off from all others. */
  public static <N> Grudge<N> isolateOne(List<N> nodes, Random random) {
    return complete(splitOne(nodes, random));
  }

  /** Jepsen's {@code bridge} on a shuffled copy of the list; see {@link #bridge(List)}. */
  public static <N> Grudge<N> bridge(List<N> nodes, Random random) {
    requireAtLeast(nodes, 3);
    return bridge(shuffled(nodes, random));
  }

  /**
   * Jepsen's {@code bridge}: two halves, in list order, that cannot hear each other, and one node,
   * the first of the second (larger) half, that hears and is heard by everyone.
   *
   * @throws IllegalArgumentException for fewer than 3 nodes, where no bridge can join two halves
   */
  public static <N> Grudge<N> bridge(List<N> nodes) {
    requireAtLeast(nodes, 3);
    List<List<N>> halves = bisect(nodes);
    N bridge = halves.get(1).get(0);
    Map<N, Set<N>> drops = new LinkedHashMap<>();
    complete(halves)
        .drops()
        .forEach(
            (node, from) -> {
              if (!node.equals(bridge)) {
                Set<N> without = new LinkedHashSet<>(from);
                without.remove(bridge);
                drops.put(node, without);
              }
            });
    return new Grudge<>(drops);
  }

  /**
   * Jepsen's {@code majorities-ring}: every node hears a majority (itself included), and no two
   * nodes hear the same majority. The nodes are shuffled into a ring and each hears a window of it
   * around itself.
   *
   * <p>For up to 5 nodes this is Jepsen's exact variant: windows of a bare majority m, each node at
   * position floor(m / 2) of its window (so with 3 nodes each hears itself and one neighbour, and
   * the drops are one-way). For more nodes Jepsen switches to a randomized search that does not
   * guarantee distinct majorities; here each node instead hears the k nearest nodes on either side
   * with k = ceil((m - 1) / 2), a symmetric grudge whose windows (of 2k + 1 < n nodes) are distinct
   * by construction.
   *
   * @throws IllegalArgumentException for fewer than 3 nodes, where two majorities always coincide
   */
  public static <N> Grudge<N> majoritiesRing(List<N> nodes, Random random) {
    requireAtLeast(nodes, 3);
    List<N> ring = shuffled(nodes, random);
    int n = ring.size();
    int majority = n / 2 + 1;
    int before;
    int width;
    if (n <= 5) {
      width = majority;
      before = majority / 2;
    } else {
      int k = majority / 2;
      width = 2 * k + 1;
      before = k;
    }
    Map<N, Set<N>> drops = new LinkedHashMap<>();
    for (int start = 0; start < n; start++) {
      Set<N> window = new HashSet<>();
      for (int j = 0; j < width; j++) {
        window.add(ring.get((start + j) % n));
      }
      Set<N> dropped = new LinkedHashSet<>(ring);
      dropped.removeAll(window);
      drops.put(ring.get((start + before) % n), dropped);
    }
    // Report nodes in the order given, not the shuffled order.
    Map<N, Set<N>> ordered = new LinkedHashMap<>();
    for (N node : nodes) {
      Set<N> sorted = new LinkedHashSet<>();
      for (N other : nodes) {
        if (drops.get(node).contains(other)) {
          sorted.add(other);
        }
      }
      ordered.put(node, sorted);
    }
    return new Grudge<>(ordered);
  }

  private static <N> List<N> shuffled(List<N> nodes, Random random) {
    List<N> copy = new ArrayList<>(nodes);
    Collections.shuffle(copy, random);
    return copy;
  }

  private static void requireAtLeast(List<?> nodes, int min) {
    if (nodes.size() < min) {
      throw new IllegalArgumentException("nodes: " + nodes.size() + " (expected: >= " + min + ")");
    }
    if (new HashSet<>(nodes).size() != nodes.size()) {
      throw new IllegalArgumentException("nodes: " + nodes + " (expected: no node twice)");
    }
  }
}
