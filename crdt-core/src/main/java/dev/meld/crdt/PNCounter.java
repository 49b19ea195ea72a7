package dev.meld.crdt;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * A counter that goes up and down and can be reset, with observed-reset semantics: a reset
 * subtracts exactly what the resetting replica had observed, so increments concurrent with the
 * reset survive it.
 *
 * <p>Four vectors of slots: P (increments) and N (decrements) per replica, as two {@link
 * GCounter}s would hold them, and RP and RN, the P and N a reset had observed. The value is
 * {@code sum(max(0, P[r] - RP[r])) - sum(max(0, N[r] - RN[r]))}. Merging takes the pointwise max
 * of all four.
 */
public final class PNCounter implements Crdt<PNCounter> {
  /*
   * Worked example. Replica a increments by 5 (P={a:5}) and ships it to b. Then, concurrently, b
   * resets (RP := P = {a:5}) and a increments by 2 (P={a:7}). After both merge: P={a:7}, RP={a:5},
   * value = 7 - 5 = 2: the reset cancelled the 5 it saw, and the concurrent 2 survives. RP[r] <=
   * P[r] always holds, as RP only ever copies some P, and both merge by max.
   *
   * Layout. The four vectors are kept as one table, a row per replica that ever counted, sorted by
   * replica: ids[i] names row i, and slots[4i .. 4i+3] hold its P, N, RP and RN (0 where a vector
   * has no entry). A row always has P or N above 0, so equal counters have equal tables. Two
   * counters over the same replicas, the steady state of a cluster, then merge with one check of
   * the replica names and one pointwise max over a long[], where four separate vectors would check
   * the names twice and allocate four objects more. The ids array is never written after it is
   * made and is shared by copies and merges; a new replica makes a new table.
   *
   *   ids    a        b
   *   slots  7 0 5 0  0 3 0 0     P={a:7}, N={b:3}, RP={a:5}, RN={}: value 7 - 5 - 3 = -1
   */
  private static final int P = 0;
  private static final int N = 1;
  private static final int RP = 2;
  private static final int RN = 3;
  private static final int WIDTH = 4;
  private static final ReplicaId[] NO_IDS = new ReplicaId[0];
  private static final long[] NO_SLOTS = new long[0];

  private ReplicaId[] ids; // sorted, never written after construction: shared
  private long[] slots; // WIDTH per row; owned

  public PNCounter() {
    this(NO_IDS, NO_SLOTS);
  }

  private PNCounter(ReplicaId[] ids, long[] slots) {
    this.ids = ids;
    this.slots = slots;
  }

  /** Builds a counter from its vectors; the decoder has checked that RP <= P and RN <= N. */
  static PNCounter ofCanonical(
      VersionVector p, VersionVector n, VersionVector rp, VersionVector rn) {
    VersionVector[] columns = {p, n, rp, rn};
    TreeSet<ReplicaId> replicas = new TreeSet<>();
    for (VersionVector column : columns) {
      for (int j = 0; j < column.size(); j++) {
        replicas.add(column.replicaAt(j));
      }
    }
    ReplicaId[] ids = replicas.toArray(NO_IDS);
    long[] slots = new long[ids.length * WIDTH];
    for (int c = 0; c < WIDTH; c++) {
      for (int j = 0; j < columns[c].size(); j++) {
        int row = Arrays.binarySearch(ids, columns[c].replicaAt(j));
        slots[row * WIDTH + c] = columns[c].counterAt(j);
      }
    }
    return new PNCounter(ids, slots);
  }

  /**
   * Adds {@code amount} at {@code replica}.
   *
   * @param amount {@code >= 1}
   * @return the delta: a counter holding just this replica's new P slot
   * @throws ArithmeticException if the slot or the value would overflow (nothing changes)
   */
  public PNCounter increment(ReplicaId replica, long amount) {
    return count(replica, amount, P);
  }

  /**
   * Subtracts {@code amount} at {@code replica}.
   *
   * @param amount {@code >= 1}
   * @return the delta: a counter holding just this replica's new N slot
   * @throws ArithmeticException if the slot or the value would overflow (nothing changes)
   */
  public PNCounter decrement(ReplicaId replica, long amount) {
    return count(replica, amount, N);
  }

  /**
   * Resets the counter to zero as {@code replica} sees it: records every increment and decrement
   * observed so far (RP := P, RN := N), so the local value reads 0 while increments and decrements
   * this replica has not seen yet still count once they arrive. The replica id names who acts; the
   * recorded state does not depend on it.
   *
   * @return the delta: a counter holding the observed P and N as RP and RN
   */
  public PNCounter reset(ReplicaId replica) {
    Objects.requireNonNull(replica, "replica");
    long[] observed = new long[slots.length];
    for (int row = 0; row < slots.length; row += WIDTH) {
      observed[row + P] = observed[row + RP] = slots[row + P];
      observed[row + N] = observed[row + RN] = slots[row + N];
    }
    PNCounter delta = new PNCounter(ids, observed);
    mergeFrom(delta);
    return delta;
  }

  /**
   * The increments minus the decrements not cancelled by a reset.
   *
   * @throws ArithmeticException if the value does not fit in a long
   */
  public long value() {
    long up = 0;
    long down = 0;
    for (int row = 0; row < slots.length; row += WIDTH) {
      up = Math.addExact(up, Math.max(0, slots[row + P] - slots[row + RP]));
      down = Math.addExact(down, Math.max(0, slots[row + N] - slots[row + RN]));
    }
    return Math.subtractExact(up, down);
  }

  @Override
  public boolean mergeFrom(PNCounter other) {
    if (!ReplicaArrays.covers(ids, other.ids)) {
      // other has a row this lacks, and every row has a slot above 0: a change, and a new table.
      PNCounter union = union(other);
      ids = union.ids;
      slots = union.slots;
      return true;
    }
    boolean changed = false;
    int row = 0;
    for (int j = 0; j < other.ids.length; j++) {
      while (!ids[row].equals(other.ids[j])) {
        row++;
      }
      for (int c = 0; c < WIDTH; c++) {
        long theirs = other.slots[j * WIDTH + c];
        if (theirs > slots[row * WIDTH + c]) {
          slots[row * WIDTH + c] = theirs;
          changed = true;
        }
      }
      row++;
    }
    return changed;
  }

  /** As {@link Crdt#merge}, built directly rather than as a copy merged into. */
  @Override
  public PNCounter merge(PNCounter other) {
    if (!ReplicaArrays.same(ids, other.ids)) {
      return union(other);
    }
    long[] max = slots.length == 0 ? NO_SLOTS : new long[slots.length];
    for (int k = 0; k < slots.length; k++) {
      max[k] = Math.max(slots[k], other.slots[k]);
    }
    return new PNCounter(ids, max);
  }

  @Override
  public PNCounter copy() {
    return new PNCounter(ids, slots.length == 0 ? NO_SLOTS : slots.clone());
  }

  @Override
  public CrdtType type() {
    return CrdtType.PNCOUNTER;
  }

  /** The number of vectors: P, N, RP and RN, in that order (the columns of the table). */
  public static final int VECTORS = WIDTH;

  /*
   * The table can be read and built row by row: the node keeps a counter as one row per replica
   * (its slots, issue 16), each written and read alone, and puts the counter back together to
   * encode it canonically.
   */

  /** The replicas that ever counted, ascending: the rows of the table. */
  public int rows() {
    return ids.length;
  }

  /** The replica of row {@code row}. */
  public ReplicaId replicaAt(int row) {
    return ids[row];
  }

  /** Row {@code row}'s entry in vector {@code vector} (0..3: P, N, RP, RN); 0 where it has none. */
  public long slot(int row, int vector) {
    return slots[row * WIDTH + vector];
  }

  /** The row of {@code replica} as {P, N, RP, RN} (a copy); all 0 if it never counted. */
  public long[] slotsOf(ReplicaId replica) {
    int row = Arrays.binarySearch(ids, replica);
    return row < 0 ? new long[WIDTH] : Arrays.copyOfRange(slots, row * WIDTH, row * WIDTH + WIDTH);
  }

  /**
   * The counter with exactly the rows {@code rows} (replica to {P, N, RP, RN}), a map in the
   * replicas' natural order.
   *
   * @throws IllegalArgumentException if the map has a comparator, or a row is not 4 values, has a
   *     value below 0, has neither P nor N above 0, or has RP above P or RN above N: no counter has
   *     such a row
   */
  public static PNCounter ofSlots(SortedMap<ReplicaId, long[]> rows) {
    if (rows.comparator() != null) {
      throw new IllegalArgumentException("rows comparator: not null (expected: natural order)");
    }
    ReplicaId[] ids = new ReplicaId[rows.size()];
    long[] slots = new long[rows.size() * WIDTH];
    int row = 0;
    for (Map.Entry<ReplicaId, long[]> e : rows.entrySet()) {
      long[] v = e.getValue();
      if (v.length != WIDTH
          || v[P] < 0
          || v[N] < 0
          || v[RP] < 0
          || v[RN] < 0
          || (v[P] == 0 && v[N] == 0)
          || v[RP] > v[P]
          || v[RN] > v[N]) {
        throw new IllegalArgumentException(
            "slots of "
                + e.getKey()
                + ": "
                + Arrays.toString(v)
                + " (expected: P, N, RP, RN >= 0, P or N > 0, RP <= P, RN <= N)");
      }
      ids[row] = Objects.requireNonNull(e.getKey(), "replica");
      System.arraycopy(v, 0, slots, row * WIDTH, WIDTH);
      row++;
    }
    return new PNCounter(ids, slots);
  }

  /** The four vectors P, N, RP, RN, built for {@link #toString}. */
  VersionVector[] vectorsView() {
    VersionVector[] columns = new VersionVector[WIDTH];
    for (int c = 0; c < WIDTH; c++) {
      int entries = 0;
      for (int row = 0; row < ids.length; row++) {
        entries += slots[row * WIDTH + c] != 0 ? 1 : 0;
      }
      ReplicaId[] replicas = new ReplicaId[entries];
      long[] counters = new long[entries];
      int e = 0;
      for (int row = 0; row < ids.length; row++) {
        if (slots[row * WIDTH + c] != 0) {
          replicas[e] = ids[row];
          counters[e++] = slots[row * WIDTH + c];
        }
      }
      columns[c] = VersionVector.ofSorted(replicas, counters);
    }
    return columns;
  }

  private PNCounter count(ReplicaId replica, long amount, int column) {
    Objects.requireNonNull(replica, "replica");
    if (amount < 1) {
      throw new IllegalArgumentException("amount: " + amount + " (expected: >= 1)");
    }
    int row = Arrays.binarySearch(ids, replica);
    long[] slot = new long[WIDTH];
    slot[column] = Math.addExact(row >= 0 ? slots[row * WIDTH + column] : 0, amount);
    PNCounter delta = new PNCounter(new ReplicaId[] {replica}, slot);
    merge(delta).value(); // throws before anything changes if the value would overflow
    mergeFrom(delta);
    return delta;
  }

  /** The pointwise max as a new counter, for counters with rows for different replicas. */
  private PNCounter union(PNCounter other) {
    ReplicaId[] unionIds = new ReplicaId[ids.length + other.ids.length];
    long[] unionSlots = new long[unionIds.length * WIDTH];
    int rows = 0;
    int i = 0;
    int j = 0;
    while (i < ids.length || j < other.ids.length) {
      int order =
          i == ids.length ? 1 : j == other.ids.length ? -1 : ids[i].compareTo(other.ids[j]);
      unionIds[rows] = order <= 0 ? ids[i] : other.ids[j];
      for (int c = 0; c < WIDTH; c++) {
        long mine = order <= 0 ? slots[i * WIDTH + c] : 0;
        long theirs = order >= 0 ? other.slots[j * WIDTH + c] : 0;
        unionSlots[rows * WIDTH + c] = Math.max(mine, theirs);
      }
      rows++;
      i += order <= 0 ? 1 : 0;
      j += order >= 0 ? 1 : 0;
    }
    return new PNCounter(
        Arrays.copyOf(unionIds, rows), Arrays.copyOf(unionSlots, rows * WIDTH));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PNCounter other
        && ReplicaArrays.same(ids, other.ids)
        && Arrays.equals(slots, other.slots);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(slots);
  }

  @Override
  public String toString() {
    VersionVector[] v = vectorsView();
    return "PNCounter{P=" + v[P] + ", N=" + v[N] + ", RP=" + v[RP] + ", RN=" + v[RN] + "}";
  }
}
