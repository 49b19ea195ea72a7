package dev.meld.node;

import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.store.Committed;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pieces a counter is stored in, under its record (whose value is the {@link CounterHeader}):
 * one slot per replica that ever counted, its row of the {@link PNCounter}.
 *
 * <pre>
 * slot piece key = 's' ‖ replica        value = P ‖ N ‖ RP ‖ RN (varint each)
 * replica        = nameLength (u8) ‖ name (UTF-8) ‖ incarnation (u64 BE), as {@link SetPieces}
 * </pre>
 *
 * A counter only ever gains slots, and a slot only grows (the join is the max of each of its four
 * values), so a write puts the slots it raised and never deletes one; only a type change, which
 * drops the counter, removes them all at once. The counter's whole state is the slots together:
 * what {@link #read} puts back together encodes exactly as the counter did when it was written.
 */
final class CounterPieces {

  static final byte SLOT = 's';

  /**
   * Counters with at most this many slots are written whole, as one record; past it, as their
   * slots. A header and one piece per slot cost more than one small record for the counters nearly
   * every key is (one to a few writers): 1,000,000 single-slot counters as slots loaded 30% to 50%
   * slower, took a third more disk and twice as long to open (a range scan per counter) as whole
   * records (node README, "Counters kept as their slots"). A counter with many slots is the one
   * whose whole record made every write grow with its history; it is kept as slots from then on
   * (a counter never loses a slot).
   */
  static final int WHOLE_UP_TO_SLOTS = 8;

  private CounterPieces() {}

  static byte[] slotKey(ReplicaId replica) {
    byte[] r = SetPieces.replica(replica);
    return ByteBuffer.allocate(1 + r.length).put(SLOT).put(r).array();
  }

  static byte[] encodeSlot(long[] slots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 * 3);
    for (long value : slots) {
      SetPieces.varint(out, value);
    }
    return out.toByteArray();
  }

  /**
   * The counter kept under {@code key}: every slot piece, put back together. Costs its slots.
   *
   * @throws IllegalStateException if a slot piece is damaged
   */
  static PNCounter read(RecordStore store, byte[] key) {
    TreeMap<ReplicaId, long[]> rows = new TreeMap<>();
    store.scanPieces(
        key,
        new byte[] {SLOT},
        new byte[] {SLOT + 1},
        (piece, value) -> {
          rows.put(SetPieces.replica(piece, 1), decodeSlot(value));
          return true;
        });
    try {
      return PNCounter.ofSlots(rows);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("counter slot pieces are damaged: " + e.getMessage(), e);
    }
  }

  /**
   * Stages the slots of the replicas in {@code slots} as {@code counter} holds them, each with what
   * the store holds of it (null: not known).
   */
  static void write(
      StoreBatch batch, byte[] key, PNCounter counter, Map<ReplicaId, Committed> slots) {
    slots.forEach(
        (replica, before) ->
            batch.putPiece(key, slotKey(replica), encodeSlot(counter.slotsOf(replica)), before));
  }

  /** What the store holds of a slot whose values are {@code slots} (all 0: none stored). */
  static Committed stored(long[] slots) {
    for (long value : slots) {
      if (value != 0) {
        return Committed.of(encodeSlot(slots));
      }
    }
    return Committed.ABSENT;
  }

  /** Every replica with a slot in {@code counter}. */
  static List<ReplicaId> replicas(PNCounter counter) {
    List<ReplicaId> all = new ArrayList<>(counter.rows());
    for (int row = 0; row < counter.rows(); row++) {
      all.add(counter.replicaAt(row));
    }
    return all;
  }

  /**
   * The replicas whose slot joining {@code incoming} into {@code current} raises: the slots such a
   * merge writes. Costs the slots of {@code incoming}.
   */
  static List<ReplicaId> raised(PNCounter current, PNCounter incoming) {
    List<ReplicaId> raised = new ArrayList<>();
    for (int row = 0; row < incoming.rows(); row++) {
      ReplicaId replica = incoming.replicaAt(row);
      long[] mine = current.slotsOf(replica);
      for (int v = 0; v < PNCounter.VECTORS; v++) {
        if (incoming.slot(row, v) > mine[v]) {
          raised.add(replica);
          break;
        }
      }
    }
    return raised;
  }

  private static long[] decodeSlot(byte[] value) {
    try {
      ByteBuffer in = ByteBuffer.wrap(value);
      long[] slots = new long[PNCounter.VECTORS];
      for (int v = 0; v < slots.length; v++) {
        slots[v] = SetPieces.varint(in);
      }
      if (in.hasRemaining()) {
        throw new IllegalStateException(
            "counter slot: " + in.remaining() + " bytes after its 4 values (expected: 0)");
      }
      return slots;
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalStateException("counter slot of " + value.length + " bytes is damaged", e);
    }
  }
}
