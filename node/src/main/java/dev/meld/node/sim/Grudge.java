package dev.meld.node.sim;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A network partition in Jepsen's terms: for each node, the nodes whose traffic it drops. Links are
 * directed, so a grudge can cut one way only ({@code b} drops {@code a} while {@code a} still hears
 * {@code b}). Nodes are named; a node not mentioned hears everyone.
 *
 * @param drops node to the set of senders it hears nothing from (sorted, immutable, no empty sets)
 */
public record Grudge(SortedMap<String, SortedSet<String>> drops) {

  private static final Grudge NONE = new Grudge(new TreeMap<>());

  public Grudge {
    Objects.requireNonNull(drops, "drops");
    TreeMap<String, SortedSet<String>> copy = new TreeMap<>();
    drops.forEach(
        (node, senders) -> {
          Objects.requireNonNull(node, "node");
          if (senders.contains(node)) {
            throw new IllegalArgumentException(
                "drops of " + node + ": " + senders + " (expected: a node never drops itself)");
          }
          if (!senders.isEmpty()) {
            copy.put(node, Collections.unmodifiableSortedSet(new TreeSet<>(senders)));
          }
        });
    drops = Collections.unmodifiableSortedMap(copy);
  }

  /** No partition: every node hears every node. */
  public static Grudge none() {
    return NONE;
  }

  /** A grudge from a plain map (any map and set types; copied and sorted). */
  public static Grudge of(Map<String, ? extends Set<String>> drops) {
    TreeMap<String, SortedSet<String>> sorted = new TreeMap<>();
    drops.forEach((node, senders) -> sorted.put(node, new TreeSet<>(senders)));
    return new Grudge(sorted);
  }

  /** Whether traffic from {@code from} to {@code to} is dropped. */
  public boolean blocks(String from, String to) {
    SortedSet<String> senders = drops.get(to);
    return senders != null && senders.contains(from);
  }

  /** Whether this grudge drops nothing. */
  public boolean isEmpty() {
    return drops.isEmpty();
  }

  /** This grudge plus {@code other}'s drops. */
  public Grudge union(Grudge other) {
    TreeMap<String, SortedSet<String>> merged = new TreeMap<>();
    drops.forEach((node, senders) -> merged.put(node, new TreeSet<>(senders)));
    other.drops.forEach(
        (node, senders) -> merged.computeIfAbsent(node, n -> new TreeSet<>()).addAll(senders));
    return new Grudge(merged);
  }

  @Override
  public String toString() {
    if (drops.isEmpty()) {
      return "{}";
    }
    StringBuilder text = new StringBuilder("{");
    drops.forEach(
        (node, senders) -> {
          if (text.length() > 1) {
            text.append(", ");
          }
          text.append(node).append(" drops ").append(String.join(",", senders));
        });
    return text.append('}').toString();
  }
}
