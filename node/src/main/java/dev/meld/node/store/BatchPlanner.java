package dev.meld.node.store;

import dev.meld.node.store.StoreBatch.AppendLog;
import dev.meld.node.store.StoreBatch.DeleteCursor;
import dev.meld.node.store.StoreBatch.DeleteMeta;
import dev.meld.node.store.StoreBatch.DeletePiece;
import dev.meld.node.store.StoreBatch.DeletePieces;
import dev.meld.node.store.StoreBatch.DeleteRecord;
import dev.meld.node.store.StoreBatch.Op;
import dev.meld.node.store.StoreBatch.PutMeta;
import dev.meld.node.store.StoreBatch.PutPiece;
import dev.meld.node.store.StoreBatch.PutRecord;
import dev.meld.node.store.StoreBatch.SetCursor;
import dev.meld.node.store.StoreBatch.TrimLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
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

  /* How: every operation reads and writes point keys through an overlay of cells, each holding the
   * key's value before the point changes ("original") and its value now ("current"). Log trims and
   * deletePieces are range deletes, and a plan applies its range deletes before its point changes.
   * So a range delete makes every key inside it absent beforehand: the cells it covers get null as
   * both original and current, and keys read later inside it read as absent without asking the
   * engine. A piece put earlier in the batch thus vanishes with the range; one put after it is a
   * point Put that lands after the range delete, even if it rewrites the value the piece had before
   * the batch. At the end each cell whose current value differs from its original becomes one Put
   * or Delete, so "put v2, put v1" over an original v1 writes nothing. A range that covers nothing
   * stored is not written at all, so a batch with no net effect stays empty.
   * Example, original {k: v1, piece p of r: x}, log head 3, trimmed through 0; batch: put k v1,
   * append 4, trim through 4, deletePieces r, putPiece r p x:
   *   k -> v1 (unchanged), log-head -> 4, log[4] appended then dropped, log-trim -> 4,
   *   piece r/p: original x, dropped by the range (original now absent), then x again
   *   changes: DeleteRange(pieces r), DeleteRange(log[1], log[5]), Put(log-head, 4),
   *            Put(log-trim, 4), Put(piece r/p, x)
   *
   * The cells of a space are a hash map, not a sorted map: every command of a group looks up and
   * adds cells (a counter's record, the log head, its log entry; a member's pieces), and a TreeMap
   * paid a dozen unsigned byte comparisons per lookup for an order nothing needs. A range delete,
   * which is rare (a set's DEL, a log trim), visits every cell of its space. The point changes of a
   * space come in no particular order: they are of distinct keys, so their order does not change
   * what the write does (sorting them once at the end was 8% of the replica thread's samples under
   * pipelined SADDs, where a group's pieces are hundreds of random keys).
   */

  private static final Comparator<byte[]> ORDER = MemoryEngine.ORDER;

  private final Engine engine;
  private final ToLongFunction<byte[]> keyHash;
  private final EnumMap<Space, HashMap<ArrayKey, Cell>> cells = new EnumMap<>(Space.class);
  private final EnumMap<Space, KeyRanges> deleted = new EnumMap<>(Space.class);

  /** One key's value before the batch's point changes, and now; null is absent. */
  private static final class Cell {
    final byte[] key;
    byte[] original;
    byte[] current;

    Cell(byte[] key, byte[] value) {
      this.key = key;
      this.original = value;
      this.current = value;
    }
  }


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
      write(Space.RECORDS, physical(put.key()), put.value(), put.before());
    } else if (op instanceof DeleteRecord delete) {
      write(Space.RECORDS, physical(delete.key()), null);
    } else if (op instanceof PutPiece put) {
      write(Space.PIECES, piece(put.key(), put.piece()), put.value(), put.before());
    } else if (op instanceof DeletePiece delete) {
      write(Space.PIECES, piece(delete.key(), delete.piece()), null, delete.before());
    } else if (op instanceof DeletePieces delete) {
      byte[] prefix = piecePrefix(delete.key());
      // Never null: the key length after the hash starts with a byte below 0xFF.
      deleteRange(Space.PIECES, prefix, Keys.prefixEnd(prefix));
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

  private byte[] piece(byte[] key, byte[] piece) {
    return Keys.concat(piecePrefix(key), piece);
  }

  /* A set's write puts several pieces of one key in a row: hash the key once for them. */
  private byte[] lastPieceKey;
  private byte[] lastPiecePrefix;

  private byte[] piecePrefix(byte[] key) {
    if (!Arrays.equals(key, lastPieceKey)) {
      lastPiecePrefix = Keys.piecePrefix(keyHash.applyAsLong(key), key);
      lastPieceKey = key;
    }
    return lastPiecePrefix;
  }

  /* A group commit appends one log entry per write, all under the node's own origin: encode its
   * keys once per plan, not twice per entry. */
  private Origin lastLogOrigin;
  private byte[] lastLogOriginKey;
  private byte[] lastLogHeadKey;

  private void appendLog(AppendLog append) {
    if (!append.origin().equals(lastLogOrigin)) {
      lastLogOrigin = append.origin();
      lastLogOriginKey = Keys.origin(lastLogOrigin);
      lastLogHeadKey = Keys.logHead(lastLogOriginKey);
    }
    byte[] origin = lastLogOriginKey;
    byte[] headKey = lastLogHeadKey;
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
    deleteRange(Space.LOG, Keys.log(origin, trimmed + 1), Keys.logAfter(origin, trim.throughSeq()));
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

  /**
   * Deletes {@code [from, to)} of {@code space}: written as one range delete if it covers anything
   * stored, and absent from here on for every later read and write of this batch.
   */
  private void deleteRange(Space space, byte[] from, byte[] to) {
    boolean[] stored = {false};
    engine.scan(
        space,
        from,
        to,
        (k, v) -> {
          stored[0] = true;
          return false;
        });
    if (stored[0]) {
      deleted.computeIfAbsent(space, s -> new KeyRanges()).add(from, to);
    }
    for (Cell cell : cells(space).values()) {
      if (ORDER.compare(cell.key, from) >= 0 && ORDER.compare(cell.key, to) < 0) {
        cell.original = null;
        cell.current = null;
      }
    }
  }

  private HashMap<ArrayKey, Cell> cells(Space space) {
    HashMap<ArrayKey, Cell> map = cells.get(space);
    if (map == null) {
      map = new HashMap<>();
      cells.put(space, map);
    }
    return map;
  }

  /** The value of {@code key} as the batch so far left it. */
  private byte[] read(Space space, byte[] key) {
    return cell(space, key).current;
  }

  /** Writes {@code value} (null deletes) to the overlay, after remembering the original. */
  private void write(Space space, byte[] key, byte[] value) {
    write(space, key, value, null);
  }

  /** As above, with the original as the caller knows it ({@code before}; null: read it). */
  private void write(Space space, byte[] key, byte[] value, Committed before) {
    cell(space, key, before).current = value;
  }

  private Cell cell(Space space, byte[] key) {
    return cell(space, key, null);
  }

  /**
   * The key's cell; a new one starts from the original: absent inside a range deleted earlier in
   * the batch, else {@code before} if the caller knows it, else the engine's value.
   */
  private Cell cell(Space space, byte[] key, Committed before) {
    HashMap<ArrayKey, Cell> map = cells(space);
    ArrayKey at = new ArrayKey(key);
    Cell cell = map.get(at);
    if (cell == null) {
      KeyRanges ranges = deleted.get(space);
      byte[] original;
      if (ranges != null && ranges.contains(key)) {
        original = null;
      } else if (before != null) {
        original = before.value();
      } else {
        original = engine.get(space, key);
      }
      cell = new Cell(key, original);
      map.put(at, cell);
    }
    return cell;
  }

  private Plan finish(long keyCountBefore) {
    List<Change> changes = new ArrayList<>();
    deleted.forEach((space, ranges) -> changes.addAll(ranges.deletes(space)));
    long keyCount = keyCountBefore;
    for (Map.Entry<Space, HashMap<ArrayKey, Cell>> perSpace : cells.entrySet()) {
      Space space = perSpace.getKey();
      for (Cell cell : perSpace.getValue().values()) {
        byte[] before = cell.original;
        byte[] after = cell.current;
        if (Arrays.equals(before, after)) {
          continue;
        }
        changes.add(
            after == null
                ? new Change.Delete(space, cell.key)
                : new Change.Put(space, cell.key, after));
        if (space == Space.RECORDS && (before == null) != (after == null)) {
          keyCount += after == null ? -1 : 1;
        }
      }
    }
    if (keyCount != keyCountBefore) {
      changes.add(new Change.Put(Space.SYS, Keys.KEY_COUNT, Keys.u64(keyCount)));
    }
    return new Plan(List.copyOf(changes), keyCount);
  }
}
