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
   * The arrays may have spare room past `size` (entries appended in order, as a decoder does,
   * cost O(1) each); slots past `size` are null / 0 and never read.
   */
  private static final ReplicaId[] NO_IDS = new ReplicaId[0];
  private static final long[] NO_COUNTERS = new long[0];

  private ReplicaId[] ids;
  private long[] counters;
  private int size;

  public VersionVector() {
    this(NO_IDS, NO_COUNTERS, 0);
  }

  private VersionVector(ReplicaId[] ids, long[] counters, int size) {
    this.ids = ids;
    this.counters = counters;
    this.size = size;
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
    while (i < size || j < other.size) {
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
    if (size == 0 && other.size == 0) {
      return new VersionVector();
    }
    if (sameReplicas(other)) {
      long[] max = new long[size];
      for (int i = 0; i < size; i++) {
        max[i] = Math.max(counters[i], other.counters[i]);
      }
      return new VersionVector(Arrays.copyOf(ids, size), max, size);
    }
    return union(other);
  }

  /** Raises this to the pointwise max with {@code other}; true iff this changed. */
  public boolean mergeFrom(VersionVector other) {
    if (sameReplicas(other)) {
      boolean changed = false;
      for (int i = 0; i < size; i++) {
        if (other.counters[i] > counters[i]) {
          counters[i] = other.counters[i];
          changed = true;
        }
      }
      return changed;
    }
    VersionVector union = union(other);
    if (union.equals(this)) {
      return false;
    }
    ids = union.ids;
    counters = union.counters;
    size = union.size;
    return true;
  }

  public VersionVector copy() {
    return size == 0
        ? new VersionVector()
        : new VersionVector(Arrays.copyOf(ids, size), Arrays.copyOf(counters, size), size);
  }

  /** The entries, sorted by replica: an unmodifiable snapshot, not changed by later merges. */
  public NavigableMap<ReplicaId, Long> asMap() {
    TreeMap<ReplicaId, Long> map = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      map.put(ids[i], counters[i]);
    }
    return Collections.unmodifiableNavigableMap(map);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
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
    for (int i = 0; i < size; i++) {
      total = Math.addExact(total, counters[i]);
    }
    return total;
  }

  /** Where {@code replica} is, or {@code -(insertion point) - 1}, as {@link Arrays#binarySearch}. */
  private int indexOf(ReplicaId replica) {
    // Appending in order (decoding, a new replica that sorts last) checks the last entry first.
    if (size > 0 && replica.compareTo(ids[size - 1]) > 0) {
      return -size - 1;
    }
    return Arrays.binarySearch(ids, 0, size, replica);
  }

  /** Whether both vectors name the same replicas in the same order. */
  private boolean sameReplicas(VersionVector other) {
    if (size != other.size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!ids[i].equals(other.ids[i])) {
        return false;
      }
    }
    return true;
  }

  /** How the i-th entry of this compares with the j-th of {@code other}; a missing one is last. */
  private int order(VersionVector other, int i, int j) {
    if (i == size) {
      return 1;
    }
    if (j == other.size) {
      return -1;
    }
    return ids[i].compareTo(other.ids[j]);
  }

  /** The pointwise max as a new vector, for vectors that name different replicas. */
  private VersionVector union(VersionVector other) {
    ReplicaId[] unionIds = new ReplicaId[size + other.size];
    long[] unionCounters = new long[size + other.size];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < size || j < other.size) {
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
    return new VersionVector(unionIds, unionCounters, n);
  }

  private void insert(int at, ReplicaId replica, long n) {
    if (size == ids.length) {
      int capacity = Math.max(4, size + (size >> 1));
      ids = Arrays.copyOf(ids, capacity);
      counters = Arrays.copyOf(counters, capacity);
    }
    System.arraycopy(ids, at, ids, at + 1, size - at);
    System.arraycopy(counters, at, counters, at + 1, size - at);
    ids[at] = replica;
    counters[at] = n;
    size++;
  }

  private void remove(int at) {
    System.arraycopy(ids, at + 1, ids, at, size - at - 1);
    System.arraycopy(counters, at + 1, counters, at, size - at - 1);
    size--;
    ids[size] = null;
    counters[size] = 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector other
        && size == other.size
        && sameReplicas(other)
        && Arrays.equals(counters, 0, size, other.counters, 0, size);
  }

  /** As {@link java.util.Map#hashCode} of the entries. */
  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < size; i++) {
      h += ids[i].hashCode() ^ Long.hashCode(counters[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      out.append(i == 0 ? "" : ", ").append(ids[i]).append('=').append(counters[i]);
    }
    return out.append('}').toString();
  }
}
