package dev.meld.node.store;

import dev.meld.node.store.StoreBatch.AppendLog;
import dev.meld.node.store.StoreBatch.DeleteCursor;
import dev.meld.node.store.StoreBatch.DeleteMeta;
import dev.meld.node.store.StoreBatch.DeleteRecord;
import dev.meld.node.store.StoreBatch.Op;
import dev.meld.node.store.StoreBatch.PutMeta;
import dev.meld.node.store.StoreBatch.PutRecord;
import dev.meld.node.store.StoreBatch.SetCursor;
import dev.meld.node.store.StoreBatch.TrimLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Turns a {@link StoreBatch} into the net physical changes it makes to an engine's current state,
 * checking the state-dependent rules on the way. Both engines commit through here, so they agree on
 * every rule by construction.
 */
final class BatchPlanner {

  /** The net changes of a batch and the key count after it; no changes means write nothing. */
  record Plan(List<Change> changes, long keyCountAfter) {}

  /* How: every operation reads and writes point keys through an overlay that remembers each key's
   * original value. Trims also produce range deletes over the entries that existed before the
   * batch; entries appended and trimmed within the same batch simply vanish from the overlay.
   * At the end each overlaid key whose final value differs from its original becomes one Put or
   * Delete, so "put v2, put v1" over an original v1 writes nothing. Example, original {k: v1},
   * log head 3, trimmed through 0; batch: put k v1, append 4, trim through 4:
   *   overlay k -> v1 (unchanged), log-head -> 4, log[4] appended then dropped, log-trim -> 4
   *   changes: DeleteRange(log[1], log[5]), Put(log-head, 4), Put(log-trim, 4)
   */

  private final Engine engine;
  private final ToLongFunction<byte[]> keyHash;
  private final Map<Slot, byte[]> original = new LinkedHashMap<>();
  private final Map<Slot, byte[]> overlay = new LinkedHashMap<>();
  private final List<Change> ranges = new ArrayList<>();

  private record Slot(Space space, ByteKey key) {}

  private BatchPlanner(Engine engine, ToLongFunction<byte[]> keyHash) {
    this.engine = engine;
    this.keyHash = keyHash;
  }

  /**
   * Plans {@code batch} against the engine's current state.
   *
   * @throws IllegalArgumentException if an operation breaks a log, trim or cursor rule; nothing has
   *     been written
   */
  static Plan plan(
      Engine engine, ToLongFunction<byte[]> keyHash, long keyCountBefore, StoreBatch batch) {
    BatchPlanner planner = new BatchPlanner(engine, keyHash);
    for (Op op : batch.ops()) {
      planner.apply(op);
    }
    return planner.finish(keyCountBefore);
  }

  private void apply(Op op) {
    if (op instanceof PutRecord put) {
      write(Space.RECORDS, physical(put.key()), put.value());
    } else if (op instanceof DeleteRecord delete) {
      write(Space.RECORDS, physical(delete.key()), null);
    } else if (op instanceof AppendLog append) {
      appendLog(append);
    } else if (op instanceof TrimLog trim) {
      trimLog(trim);
    } else if (op instanceof SetCursor set) {
      setCursor(set);
    } else if (op instanceof DeleteCursor delete) {
      write(Space.CURSORS, Keys.origin(delete.origin()), null);
    } else if (op instanceof PutMeta put) {
      write(Space.META, put.name(), put.value());
    } else if (op instanceof DeleteMeta delete) {
      write(Space.META, delete.name(), null);
    } else {
      throw new AssertionError("unknown op " + op);
    }
  }

  private byte[] physical(byte[] key) {
    return Keys.record(keyHash.applyAsLong(key), key);
  }

  private void appendLog(AppendLog append) {
    byte[] origin = Keys.origin(append.origin());
    byte[] headKey = Keys.logHead(origin);
    long head = Keys.u64(read(Space.SYS, headKey));
    if (head == Long.MAX_VALUE || append.seq() != head + 1) {
      throw new IllegalArgumentException(
          "log seq of "
              + append.origin()
              + ": "
              + append.seq()
              + " (expected: "
              + (head + 1)
              + ", the head + 1)");
    }
    write(Space.SYS, headKey, Keys.u64(append.seq()));
    write(Space.LOG, Keys.log(origin, append.seq()), append.payload());
  }

  private void trimLog(TrimLog trim) {
    byte[] origin = Keys.origin(trim.origin());
    long head = Keys.u64(read(Space.SYS, Keys.logHead(origin)));
    if (trim.throughSeq() > head) {
      throw new IllegalArgumentException(
          "trim throughSeq of "
              + trim.origin()
              + ": "
              + trim.throughSeq()
              + " (expected: <= head "
              + head
              + ")");
    }
    byte[] trimKey = Keys.logTrim(origin);
    long trimmed = Keys.u64(read(Space.SYS, trimKey));
    if (trim.throughSeq() <= trimmed) {
      return;
    }
    write(Space.SYS, trimKey, Keys.u64(trim.throughSeq()));
    byte[] from = Keys.log(origin, trimmed + 1);
    byte[] to = Keys.logAfter(origin, trim.throughSeq());
    ranges.add(new Change.DeleteRange(Space.LOG, from, to));
    // Entries appended earlier in this batch fall under the range too: drop them from the overlay.
    for (Map.Entry<Slot, byte[]> e : overlay.entrySet()) {
      Slot slot = e.getKey();
      if (slot.space() == Space.LOG && within(slot.key().bytes(), from, to)) {
        e.setValue(null);
      }
    }
  }

  private static boolean within(byte[] key, byte[] from, byte[] to) {
    return Arrays.compareUnsigned(key, from) >= 0 && Arrays.compareUnsigned(key, to) < 0;
  }

  private void setCursor(SetCursor set) {
    byte[] key = Keys.origin(set.origin());
    byte[] current = read(Space.CURSORS, key);
    if (current != null && set.appliedThrough() < Keys.u64(current)) {
      throw new IllegalArgumentException(
          "cursor of "
              + set.origin()
              + ": "
              + set.appliedThrough()
              + " (expected: >= "
              + Keys.u64(current)
              + ", cursors never move back)");
    }
    write(Space.CURSORS, key, Keys.u64(set.appliedThrough()));
  }

  private byte[] read(Space space, byte[] key) {
    Slot slot = new Slot(space, new ByteKey(key));
    if (overlay.containsKey(slot)) {
      return overlay.get(slot);
    }
    byte[] value = engine.get(space, key);
    original.put(slot, value);
    overlay.put(slot, value);
    return value;
  }

  /** Writes {@code value} (null deletes) to the overlay, after remembering the original. */
  private void write(Space space, byte[] key, byte[] value) {
    read(space, key);
    overlay.put(new Slot(space, new ByteKey(key)), value);
  }

  private Plan finish(long keyCountBefore) {
    List<Change> changes = new ArrayList<>(ranges);
    long keyCount = keyCountBefore;
    for (Map.Entry<Slot, byte[]> e : overlay.entrySet()) {
      Slot slot = e.getKey();
      byte[] before = original.get(slot);
      byte[] after = e.getValue();
      if (Arrays.equals(before, after)) {
        continue;
      }
      byte[] key = slot.key().bytes();
      changes.add(
          after == null
              ? new Change.Delete(slot.space(), key)
              : new Change.Put(slot.space(), key, after));
      if (slot.space() == Space.RECORDS && (before == null) != (after == null)) {
        keyCount += after == null ? -1 : 1;
      }
    }
    if (keyCount != keyCountBefore) {
      changes.add(new Change.Put(Space.SYS, Keys.KEY_COUNT, Keys.u64(keyCount)));
    }
    return new Plan(List.copyOf(changes), keyCount);
  }
}
