package dev.meld.chaos.nemesis;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A network partition as Jepsen describes one: for each node, the set of nodes whose traffic it
 * drops. A node missing from the map drops nothing. Immutable; iteration follows the order the
 * nodes were given in.
 *
 * @param <N> the node type (a name, an id)
 */
public final class Grudge<N> {

  private final Map<N, Set<N>> drops;

  Grudge(Map<N, Set<N>> drops) {
    Map<N, Set<N>> copy = new LinkedHashMap<>();
    drops.forEach(
        (node, from) -> copy.put(node, Collections.unmodifiableSet(new LinkedHashSet<>(from))));
    this.drops = Collections.unmodifiableMap(copy);
  }

  /** Node to the nodes whose traffic it drops; its JSON form, as Jepsen logs a grudge. */
  @JsonValue
  public Map<N, Set<N>> drops() {
    return drops;
  }

  /** The nodes whose traffic {@code node} drops. */
  public Set<N> dropsFrom(N node) {
    return drops.getOrDefault(node, Set.of());
  }

  /** True if traffic from {@code sender} reaches {@code receiver}. */
  public boolean delivers(N sender, N receiver) {
    return !dropsFrom(receiver).contains(sender);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grudge && ((Grudge<?>) o).drops.equals(drops);
  }

  @Override
  public int hashCode() {
    return drops.hashCode();
  }

  @Override
  public String toString() {
    return drops.toString();
  }
}
