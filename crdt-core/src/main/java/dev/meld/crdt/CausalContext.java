package dev.meld.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A set of dots: everything a state has seen. Stored as a compact {@link VersionVector} (for each
 * replica, the dots 1..n) plus a dot cloud (dots not contiguous with the vector), as in Almeida et
 * al., "Delta State Replicated Data Types" (2018). Mutable, like the states that own it.
 *
 * <p>Canonical form: a cloud dot {@code (r, c)} always has {@code c > vector[r] + 1}. Whenever a
 * dot arrives that closes the gap, the vector absorbs it and every cloud dot that became
 * contiguous. So equal sets of dots have equal vectors and clouds, and {@link #equals} is set
 * equality.
 */
public final class CausalContext {
  /*
   * Compaction, worked through: vector {a:2}, cloud {a:4, a:5}. Adding a:3 raises the vector to
   * a:3, then a:4 and a:5 are contiguous and move in too: vector {a:5}, cloud {}. Each cloud dot
   * moves into the vector at most once, so compaction costs O(dots added), never a scan.
   */
  private final VersionVector vector;
  private final TreeMap<ReplicaId, TreeSet<Long>> cloud;

  public CausalContext() {
    this(new VersionVector(), new TreeMap<>());
  }

  private CausalContext(VersionVector vector, TreeMap<ReplicaId, TreeSet<Long>> cloud) {
    this.vector = vector;
    this.cloud = cloud;
  }

  public boolean contains(Dot dot) {
    return vector.contains(dot) || cloudContains(dot.replica(), dot.counter());
  }

  /** Adds {@code dot}; true iff it was new. */
  public boolean add(Dot dot) {
    Objects.requireNonNull(dot, "dot");
    if (contains(dot)) {
      return false;
    }
    ReplicaId replica = dot.replica();
    if (dot.counter() == vector.get(replica) + 1 && !cloud.containsKey(replica)) {
      vector.put(replica, dot.counter()); // contiguous, and no cloud dot can follow it
      return true;
    }
    cloud.computeIfAbsent(replica, r -> new TreeSet<>()).add(dot.counter());
    compact(replica);
    return true;
  }

  /**
   * The next fresh dot of {@code replica}: one past every dot of it seen so far. Not added.
   *
   * @throws ArithmeticException if the counter would overflow
   */
  public Dot nextDot(ReplicaId replica) {
    long highest = vector.get(replica);
    TreeSet<Long> counters = cloud.get(replica);
    if (counters != null) {
      highest = Math.max(highest, counters.last());
    }
    return new Dot(replica, Math.addExact(highest, 1));
  }

  /** Adds every dot of {@code other}; true iff this changed. Costs O(size of other). */
  public boolean mergeFrom(CausalContext other) {
    boolean changed = vector.mergeFrom(other.vector);
    if (changed && !cloud.isEmpty()) {
      for (ReplicaId replica : cloud.keySet().toArray(new ReplicaId[0])) {
        compact(replica);
      }
    }
    for (Map.Entry<ReplicaId, TreeSet<Long>> e : other.cloud.entrySet()) {
      ReplicaId replica = e.getKey();
      long top = vector.get(replica);
      TreeSet<Long> mine = cloud.get(replica);
      for (long counter : e.getValue().tailSet(top, false)) {
        if (counter == top + 1) {
          top = counter; // contiguous: straight into the vector (compact below takes the rest)
        } else {
          if (mine == null) {
            mine = new TreeSet<>();
            cloud.put(replica, mine);
          }
          changed |= mine.add(counter);
        }
      }
      if (top != vector.get(replica)) {
        vector.put(replica, top);
        changed = true;
      }
      if (mine != null) {
        compact(replica);
      }
    }
    return changed;
  }

  /** The union of this and {@code other}, as a new context; neither changes. */
  public CausalContext merge(CausalContext other) {
    CausalContext result = copy();
    result.mergeFrom(other);
    return result;
  }

  public CausalContext copy() {
    TreeMap<ReplicaId, TreeSet<Long>> cloudCopy = new TreeMap<>();
    cloud.forEach((r, counters) -> cloudCopy.put(r, new TreeSet<>(counters)));
    return new CausalContext(vector.copy(), cloudCopy);
  }

  /** The compact part: for each replica r, the dots r:1..vector[r]. A copy. */
  public VersionVector vector() {
    return vector.copy();
  }

  /** The dots not contiguous with the vector, sorted. A copy. */
  public NavigableSet<Dot> cloud() {
    TreeSet<Dot> dots = new TreeSet<>();
    cloud.forEach((r, counters) -> counters.forEach(c -> dots.add(new Dot(r, c))));
    return dots;
  }

  public boolean isEmpty() {
    return vector.isEmpty() && cloud.isEmpty();
  }

  /** Whether the cloud (not the vector) holds {@code replica:counter}. */
  boolean cloudContains(ReplicaId replica, long counter) {
    TreeSet<Long> counters = cloud.get(replica);
    return counters != null && counters.contains(counter);
  }

  /** The internal vector, for codecs and merges in this package; not to be changed. */
  VersionVector vectorView() {
    return vector;
  }

  /** The internal cloud (replica to counters), for codecs and merges; not to be changed. */
  NavigableMap<ReplicaId, TreeSet<Long>> cloudView() {
    return Collections.unmodifiableNavigableMap(cloud);
  }

  /**
   * Builds a context from its canonical parts; the caller (the decoder) has checked that every
   * cloud counter of r is above {@code vector[r] + 1}.
   */
  static CausalContext ofCanonical(VersionVector vector, TreeMap<ReplicaId, TreeSet<Long>> cloud) {
    return new CausalContext(vector, cloud);
  }

  /** Moves into the vector the cloud dots of {@code replica} it covers or that became contiguous. */
  private void compact(ReplicaId replica) {
    TreeSet<Long> counters = cloud.get(replica);
    if (counters == null) {
      return;
    }
    long top = vector.get(replica);
    counters.headSet(top, true).clear();
    while (!counters.isEmpty() && counters.first() == top + 1) {
      top = counters.pollFirst();
    }
    vector.put(replica, top);
    if (counters.isEmpty()) {
      cloud.remove(replica);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CausalContext other
        && vector.equals(other.vector)
        && cloud.equals(other.cloud);
  }

  @Override
  public int hashCode() {
    return 31 * vector.hashCode() + cloud.hashCode();
  }

  @Override
  public String toString() {
    return cloud.isEmpty() ? vector.toString() : vector + "+" + cloud;
  }
}
