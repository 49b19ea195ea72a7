package dev.meld.node;

import dev.meld.crdt.CausalContext;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtType;
import dev.meld.crdt.Dot;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.ReplicaId;
import java.util.HashSet;
import java.util.Set;

/**
 * An upper bound on the encoded length of one record, kept as deltas are joined into it, so that
 * the write path can check the record limit on every write without encoding the record (which costs
 * its whole size: a set written a thousand times in one batch was encoded a thousand times).
 *
 * <p>Start it from an exact length ({@link #exact}); {@link #bytesAfter} is the bound after one
 * more join, and {@link #join} moves to it.
 */
final class RecordSizeBound {

  /*
   * Why "bound before + encoded length of the delta" is a bound after the join, type by type:
   *
   *  - Register, and any join across types (the ordinal sum of RecordLattice): the result is one of
   *    the two inputs, so its length is at most the sum.
   *  - PN-counter: four version vectors, each the pointwise max over the union of their replicas.
   *    Each row of the result is a row of one input with a counter no longer (as a varint) than the
   *    longer of the two; the count varints are subadditive.
   *  - OR-set: the context is the union of the two (cloud dots only move into the vector, which
   *    shrinks them), every element and every dot of the result comes from one of the inputs, and
   *    the count varints are subadditive. All but one thing: a dot names its replica by position in
   *    the table of replicas the context names, as a varint. When the table of the result is
   *    larger than either input's, positions can need more bytes than they took in the inputs:
   *    going from 128 to 129 replicas adds one byte to every dot. Every dot takes at least two
   *    bytes (position and counter), so the extra is at most (new width - old width) x length / 2
   *    for each input. The set's table is tracked exactly (replica ids, a handful per set) so the
   *    correction applies only when the width really grows.
   *
   * Worked example: a set of 10,000 elements, 170,000 bytes as stored, takes 800 one-element adds
   * from this node in one batch. Each add's delta encodes to ~30 bytes, so after the batch the
   * bound is ~194,000 bytes; the real length is ~184,000. One encoding at flush makes it exact
   * again. Before the bound, each add encoded the set: 800 x 170 KB per batch.
   */

  private CrdtType type; // of the record; null: absent
  private long bytes; // >= the record's encoded length
  private Set<ReplicaId> table; // OR-set only: the replicas its context names

  private RecordSizeBound() {}

  /** The bound of an absent record. */
  static RecordSizeBound absent() {
    return new RecordSizeBound();
  }

  /** The bound of {@code state}, exactly {@code encodedLength} bytes; null: absent. */
  static RecordSizeBound exact(Crdt<?> state, int encodedLength) {
    RecordSizeBound bound = new RecordSizeBound();
    bound.reset(state, encodedLength);
    return bound;
  }

  /** Makes this the exact bound of {@code state} (null: absent), {@code encodedLength} bytes. */
  void reset(Crdt<?> state, int encodedLength) {
    if (state == null) {
      type = null;
      bytes = 0;
      table = null;
      return;
    }
    type = state.type();
    bytes = encodedLength;
    table = state instanceof Orswot<?> set ? replicas(set.context()) : null;
  }

  /** The bound: at least the encoded length of the record. */
  long bytes() {
    return bytes;
  }

  /**
   * The bound after joining {@code delta}, whose encoding is {@code deltaLength} bytes, into the
   * record; nothing changes here.
   */
  long bytesAfter(Crdt<?> delta, int deltaLength) {
    if (type == null || delta.type().tag() > type.tag()) {
      return deltaLength; // the delta becomes the record
    }
    if (delta.type() != type) {
      return bytes; // the delta loses to the record's type and is dropped
    }
    long after = bytes + deltaLength;
    if (table != null) {
      Orswot<?> set = (Orswot<?>) delta;
      Set<ReplicaId> deltaTable = replicas(set.context());
      int joined = table.size();
      for (ReplicaId r : deltaTable) {
        joined += table.contains(r) ? 0 : 1;
      }
      int width = positionWidth(joined);
      after += (long) (width - positionWidth(table.size())) * (bytes / 2);
      after += (long) (width - positionWidth(deltaTable.size())) * (deltaLength / 2);
    }
    return after;
  }

  /** Moves the bound past joining {@code delta} ({@code deltaLength} bytes) into the record. */
  void join(Crdt<?> delta, int deltaLength) {
    long after = bytesAfter(delta, deltaLength);
    if (type == null || delta.type().tag() > type.tag()) {
      type = delta.type();
      table = delta instanceof Orswot<?> set ? replicas(set.context()) : null;
    } else if (delta.type() == type && table != null) {
      table.addAll(replicas(((Orswot<?>) delta).context()));
    }
    bytes = after;
  }

  /** The replicas a context names: the table OR-set dots point into. */
  private static Set<ReplicaId> replicas(CausalContext context) {
    Set<ReplicaId> replicas = new HashSet<>(context.vector().asMap().keySet());
    for (Dot dot : context.cloud()) {
      replicas.add(dot.replica());
    }
    return replicas;
  }

  /** Bytes a dot's replica position takes in a table of {@code size} replicas (a varint). */
  static int positionWidth(int size) {
    int width = 1;
    for (long top = Math.max(0, size - 1); top >= 0x80; top >>>= 7) {
      width++;
    }
    return width;
  }
}
