package dev.meld.crdt;

import java.util.NavigableMap;
import java.util.Objects;

/**
 * A grow-only counter: each replica counts its own increments in its own slot, the value is the
 * sum of the slots, and merging takes the max of each slot (a slot only grows, so the larger one
 * has seen more of that replica's increments).
 */
public final class GCounter implements Crdt<GCounter> {
  private final VersionVector counts;

  public GCounter() {
    this(new VersionVector());
  }

  private GCounter(VersionVector counts) {
    this.counts = counts;
  }

  /** Builds a counter from its slots; the decoder has checked them. */
  static GCounter ofCanonical(VersionVector counts) {
    return new GCounter(counts);
  }

  /**
   * Adds {@code n} at {@code replica}.
   *
   * @param n {@code >= 1}
   * @return the delta: a counter holding just this replica's new slot
   * @throws ArithmeticException if the slot or the value would overflow (nothing changes)
   */
  public GCounter increment(ReplicaId replica, long n) {
    Objects.requireNonNull(replica, "replica");
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
    long slot = Math.addExact(counts.get(replica), n);
    Math.addExact(value(), n);
    GCounter delta = new GCounter();
    delta.counts.put(replica, slot);
    mergeFrom(delta);
    return delta;
  }

  /**
   * The sum of all slots.
   *
   * @throws ArithmeticException if merged slots sum past {@link Long#MAX_VALUE}
   */
  public long value() {
    return counts.sum();
  }

  /** The slot of each replica, sorted by replica: an unmodifiable snapshot. */
  public NavigableMap<ReplicaId, Long> slots() {
    return counts.asMap();
  }

  /** The internal slots, for the codec; not to be changed. */
  VersionVector countsView() {
    return counts;
  }

  @Override
  public boolean mergeFrom(GCounter other) {
    return counts.mergeFrom(other.counts);
  }

  /** As {@link Crdt#merge}, built directly rather than as a copy merged into. */
  @Override
  public GCounter merge(GCounter other) {
    return new GCounter(counts.merge(other.counts));
  }

  @Override
  public GCounter copy() {
    return new GCounter(counts.copy());
  }

  @Override
  public CrdtType type() {
    return CrdtType.GCOUNTER;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GCounter other && counts.equals(other.counts);
  }

  @Override
  public int hashCode() {
    return counts.hashCode();
  }

  @Override
  public String toString() {
    return "GCounter" + counts;
  }
}
