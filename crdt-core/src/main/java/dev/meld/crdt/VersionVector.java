package dev.meld.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A map from replica to counter, absent meaning 0: the history "events 1..n of each replica". It
 * is a join-semilattice under pointwise max. Mutable: {@link #mergeFrom} and {@link #increment}
 * change it in place; {@link #merge} and {@link #copy} make new vectors.
 *
 * <p>Entries are kept sorted by {@link ReplicaId} and never hold a zero, so equal histories have
 * equal entries, iterated in canonical order.
 */
public final class VersionVector {
  private final TreeMap<ReplicaId, Long> counters;

  public VersionVector() {
    this.counters = new TreeMap<>();
  }

  private VersionVector(TreeMap<ReplicaId, Long> counters) {
    this.counters = counters;
  }

  /** The counter of {@code replica}, 0 if it has none. */
  public long get(ReplicaId replica) {
    Long n = counters.get(Objects.requireNonNull(replica, "replica"));
    return n == null ? 0 : n;
  }

  /** Whether this history includes {@code dot}. */
  public boolean contains(Dot dot) {
    return dot.counter() <= get(dot.replica());
  }

  /**
   * Records the next event of {@code replica} and returns its dot.
   *
   * @throws ArithmeticException if the counter would overflow (nothing changes)
   */
  public Dot increment(ReplicaId replica) {
    long next = Math.addExact(get(replica), 1);
    counters.put(replica, next);
    return new Dot(replica, next);
  }

  /** Where this history stands relative to {@code other}. */
  public Causality compare(VersionVector other) {
    boolean thisAhead = false;
    boolean otherAhead = false;
    for (Map.Entry<ReplicaId, Long> e : counters.entrySet()) {
      long theirs = other.get(e.getKey());
      thisAhead |= e.getValue() > theirs;
      otherAhead |= e.getValue() < theirs;
    }
    for (Map.Entry<ReplicaId, Long> e : other.counters.entrySet()) {
      otherAhead |= !counters.containsKey(e.getKey());
    }
    if (thisAhead) {
      return otherAhead ? Causality.CONCURRENT : Causality.AFTER;
    }
    return otherAhead ? Causality.BEFORE : Causality.EQUAL;
  }

  /** The pointwise max of this and {@code other}, as a new vector; neither changes. */
  public VersionVector merge(VersionVector other) {
    VersionVector result = copy();
    result.mergeFrom(other);
    return result;
  }

  /** Raises this to the pointwise max with {@code other}; true iff this changed. */
  public boolean mergeFrom(VersionVector other) {
    boolean changed = false;
    for (Map.Entry<ReplicaId, Long> e : other.counters.entrySet()) {
      changed |= raise(e.getKey(), e.getValue());
    }
    return changed;
  }

  public VersionVector copy() {
    return new VersionVector(new TreeMap<>(counters));
  }

  /** The entries, sorted by replica; an unmodifiable view. */
  public NavigableMap<ReplicaId, Long> asMap() {
    return Collections.unmodifiableNavigableMap(counters);
  }

  public int size() {
    return counters.size();
  }

  public boolean isEmpty() {
    return counters.isEmpty();
  }

  /** Raises the counter of {@code replica} to {@code n} if it is below; true iff it changed. */
  boolean raise(ReplicaId replica, long n) {
    if (n <= get(replica)) {
      return false;
    }
    counters.put(replica, n);
    return true;
  }

  /** Sets the counter of {@code replica}; callers keep counters from going backwards. */
  void put(ReplicaId replica, long n) {
    if (n == 0) {
      counters.remove(replica);
    } else {
      counters.put(replica, n);
    }
  }

  /** The sum of all counters; an {@link ArithmeticException} if it overflows a long. */
  long sum() {
    long total = 0;
    for (long n : counters.values()) {
      total = Math.addExact(total, n);
    }
    return total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector other && counters.equals(other.counters);
  }

  @Override
  public int hashCode() {
    return counters.hashCode();
  }

  @Override
  public String toString() {
    return counters.toString();
  }
}
