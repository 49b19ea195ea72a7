package dev.meld.crdt;

import java.util.Arrays;
import java.util.Collections;
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
  /*
   * Two parallel arrays sorted by replica, not a TreeMap: a vector holds one entry per replica
   * that ever wrote, a handful in a cluster, and every merge of every state walks vectors. Over
   * sorted arrays a lookup is a binary search without boxing, a merge is one pass over both sides
   * (and, when both sides name the same replicas, a pointwise max with no search at all), and a
   * copy is two array copies. Worked example: {a:3, c:1} merged with {b:2, c:4} walks a|b, a<b
   * takes a:3, b<c takes b:2, c=c takes max(1, 4) = 4: {a:3, b:2, c:4}.
   *
   * Both arrays hold exactly one slot per entry. The ids array is never written after it is
   * made, so copies and merges over the same replicas share it (a copy or a merge of two vectors
   * over the same five replicas allocates one long[], nothing else); adding or removing a replica
   * makes new arrays, which is rare: a vector gains a replica once per replica life. The counters
   * array belongs to one vector and is raised in place.
   */
  private static final ReplicaId[] NO_IDS = new ReplicaId[0];
  private static final long[] NO_COUNTERS = new long[0];

  private ReplicaId[] ids; // sorted, never written after construction: shared
  private long[] counters; // counters[i] >= 1 is the counter of ids[i]; owned

  public VersionVector() {
    this(NO_IDS, NO_COUNTERS);
  }

  private VersionVector(ReplicaId[] ids, long[] counters) {
    this.ids = ids;
    this.counters = counters;
  }

  /**
   * A vector of the given entries, for the decoder, which has checked that {@code ids} ascend
   * strictly and every counter is {@code >= 1}. Takes both arrays.
   */
  static VersionVector ofSorted(ReplicaId[] ids, long[] counters) {
    return new VersionVector(ids, counters);
  }

  /** The counter of {@code replica}, 0 if it has none. */
  public long get(ReplicaId replica) {
    int at = indexOf(Objects.requireNonNull(replica, "replica"));
    return at >= 0 ? counters[at] : 0;
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
    put(replica, next);
    return new Dot(replica, next);
  }

  /** Where this history stands relative to {@code other}. */
  public Causality compare(VersionVector other) {
    boolean thisAhead = false;
    boolean otherAhead = false;
    int i = 0;
    int j = 0;
    while (i < ids.length || j < other.ids.length) {
      int order = order(other, i, j);
      if (order < 0) {
        thisAhead = true;
        i++;
      } else if (order > 0) {
        otherAhead = true;
        j++;
      } else {
        thisAhead |= counters[i] > other.counters[j];
        otherAhead |= counters[i] < other.counters[j];
        i++;
        j++;
      }
    }
    if (thisAhead) {
      return otherAhead ? Causality.CONCURRENT : Causality.AFTER;
    }
    return otherAhead ? Causality.BEFORE : Causality.EQUAL;
  }

  /** The pointwise max of this and {@code other}, as a new vector; neither changes. */
  public VersionVector merge(VersionVector other) {
    if (ReplicaArrays.same(ids, other.ids)) {
      long[] max = ids.length == 0 ? NO_COUNTERS : new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        max[i] = Math.max(counters[i], other.counters[i]);
      }
      return new VersionVector(ids, max);
    }
    return union(other);
  }

  /** Raises this to the pointwise max with {@code other}; true iff this changed. */
  public boolean mergeFrom(VersionVector other) {
    if (!ReplicaArrays.covers(ids, other.ids)) {
      // other names a replica this lacks, with a counter >= 1: a change, and new arrays.
      VersionVector union = union(other);
      ids = union.ids;
      counters = union.counters;
      return true;
    }
    boolean changed = false;
    int i = 0;
    for (int j = 0; j < other.ids.length; j++) {
      while (!ids[i].equals(other.ids[j])) {
        i++;
      }
      if (other.counters[j] > counters[i]) {
        counters[i] = other.counters[j];
        changed = true;
      }
      i++;
    }
    return changed;
  }

  public VersionVector copy() {
    return new VersionVector(ids, ids.length == 0 ? NO_COUNTERS : counters.clone());
  }

  /** The entries, sorted by replica: an unmodifiable snapshot, not changed by later merges. */
  public NavigableMap<ReplicaId, Long> asMap() {
    TreeMap<ReplicaId, Long> map = new TreeMap<>();
    for (int i = 0; i < ids.length; i++) {
      map.put(ids[i], counters[i]);
    }
    return Collections.unmodifiableNavigableMap(map);
  }

  public int size() {
    return ids.length;
  }

  public boolean isEmpty() {
    return ids.length == 0;
  }

  /** The replica of the {@code i}-th entry in replica order, {@code 0 <= i < size()}. */
  ReplicaId replicaAt(int i) {
    return ids[i];
  }

  /** The counter of the {@code i}-th entry in replica order, {@code 0 <= i < size()}. */
  long counterAt(int i) {
    return counters[i];
  }

  /** Raises the counter of {@code replica} to {@code n} if it is below; true iff it changed. */
  boolean raise(ReplicaId replica, long n) {
    int at = indexOf(replica);
    if (at >= 0) {
      if (n <= counters[at]) {
        return false;
      }
      counters[at] = n;
      return true;
    }
    if (n <= 0) {
      return false;
    }
    insert(-at - 1, replica, n);
    return true;
  }

  /** Sets the counter of {@code replica}; callers keep counters from going backwards. */
  void put(ReplicaId replica, long n) {
    int at = indexOf(replica);
    if (at >= 0) {
      if (n == 0) {
        remove(at);
      } else {
        counters[at] = n;
      }
    } else if (n != 0) {
      insert(-at - 1, replica, n);
    }
  }

  /** The sum of all counters; an {@link ArithmeticException} if it overflows a long. */
  long sum() {
    long total = 0;
    for (int i = 0; i < ids.length; i++) {
      total = Math.addExact(total, counters[i]);
    }
    return total;
  }

  /** Where {@code replica} is, else {@code -(insertion point) - 1}: {@link Arrays#binarySearch}. */
  private int indexOf(ReplicaId replica) {
    return Arrays.binarySearch(ids, replica);
  }

  /** How the i-th entry of this compares with the j-th of {@code other}; a missing one is last. */
  private int order(VersionVector other, int i, int j) {
    if (i == ids.length) {
      return 1;
    }
    if (j == other.ids.length) {
      return -1;
    }
    return ids[i].compareTo(other.ids[j]);
  }

  /** The pointwise max as a new vector, for vectors that name different replicas. */
  private VersionVector union(VersionVector other) {
    ReplicaId[] unionIds = new ReplicaId[ids.length + other.ids.length];
    long[] unionCounters = new long[ids.length + other.ids.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < ids.length || j < other.ids.length) {
      int order = order(other, i, j);
      if (order < 0) {
        unionIds[n] = ids[i];
        unionCounters[n++] = counters[i++];
      } else if (order > 0) {
        unionIds[n] = other.ids[j];
        unionCounters[n++] = other.counters[j++];
      } else {
        unionIds[n] = ids[i];
        unionCounters[n++] = Math.max(counters[i++], other.counters[j++]);
      }
    }
    return new VersionVector(Arrays.copyOf(unionIds, n), Arrays.copyOf(unionCounters, n));
  }

  private void insert(int at, ReplicaId replica, long n) {
    ReplicaId[] newIds = new ReplicaId[ids.length + 1];
    long[] newCounters = new long[ids.length + 1];
    System.arraycopy(ids, 0, newIds, 0, at);
    System.arraycopy(counters, 0, newCounters, 0, at);
    newIds[at] = replica;
    newCounters[at] = n;
    System.arraycopy(ids, at, newIds, at + 1, ids.length - at);
    System.arraycopy(counters, at, newCounters, at + 1, ids.length - at);
    ids = newIds;
    counters = newCounters;
  }

  private void remove(int at) {
    ReplicaId[] newIds = new ReplicaId[ids.length - 1];
    long[] newCounters = new long[ids.length - 1];
    System.arraycopy(ids, 0, newIds, 0, at);
    System.arraycopy(counters, 0, newCounters, 0, at);
    System.arraycopy(ids, at + 1, newIds, at, ids.length - at - 1);
    System.arraycopy(counters, at + 1, newCounters, at, ids.length - at - 1);
    ids = newIds;
    counters = newCounters;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector other
        && ReplicaArrays.same(ids, other.ids)
        && Arrays.equals(counters, other.counters);
  }

  /** As {@link java.util.Map#hashCode} of the entries. */
  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < ids.length; i++) {
      h += ids[i].hashCode() ^ Long.hashCode(counters[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < ids.length; i++) {
      out.append(i == 0 ? "" : ", ").append(ids[i]).append('=').append(counters[i]);
    }
    return out.append('}').toString();
  }
}
