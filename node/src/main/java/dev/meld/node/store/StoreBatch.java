package dev.meld.node.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An atomic group of writes to a {@link RecordStore}: records and their pieces, replication log
 * entries, log trims, cursors and meta values. {@link RecordStore#commit} applies all of them or
 * none.
 *
 * <p>Each method checks its arguments against the store's {@link StoreLimits} before copying
 * anything; a rejected call leaves the batch as it was. Arrays are copied, so the caller may reuse
 * its buffers. Rules that depend on the store's state (log sequence numbers follow the head,
 * cursors never move back, trims stay at or below the head) are checked at commit time, in order,
 * as if each operation saw the effect of the ones before it in the same batch.
 *
 * <p>Obtain a batch from {@link RecordStore#newBatch()}. A batch is not thread-safe.
 */
public final class StoreBatch {

  /** One operation, in the order it was added. */
  sealed interface Op {}

  /** {@code before}: what the caller knows the record holds before the batch; null if unknown. */
  record PutRecord(byte[] key, byte[] value, Committed before) implements Op {}

  record DeleteRecord(byte[] key) implements Op {}

  /** {@code before}: what the caller knows the piece holds before the batch; null if unknown. */
  record PutPiece(byte[] key, byte[] piece, byte[] value, Committed before) implements Op {}

  /** {@code before}: what the caller knows the piece holds before the batch; null if unknown. */
  record DeletePiece(byte[] key, byte[] piece, Committed before) implements Op {}

  record DeletePieces(byte[] key) implements Op {}

  record AppendLog(Origin origin, long seq, byte[] payload) implements Op {}

  record TrimLog(Origin origin, long throughSeq) implements Op {}

  record SetCursor(Origin origin, long appliedThrough) implements Op {}

  record DeleteCursor(Origin origin) implements Op {}

  record PutMeta(byte[] name, byte[] value) implements Op {}

  record DeleteMeta(byte[] name) implements Op {}

  /** Bytes charged per operation on top of its keys and values, for bookkeeping keys. */
  private static final int OP_OVERHEAD = 32;

  private final StoreLimits limits;
  private final List<Op> ops = new ArrayList<>();
  private long bytes;
  private boolean sync;

  StoreBatch(StoreLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Sets a record's value, creating or overwriting it. */
  public StoreBatch put(byte[] key, byte[] value) {
    return put(key, value, null);
  }

  /**
   * As {@link #put(byte[], byte[])}, where the caller knows what the record holds now ({@code
   * before}, null if it does not know): the commit then takes that as the record's original instead
   * of reading it from the store. See {@link Committed} for what a wrong one would do.
   */
  public StoreBatch put(byte[] key, byte[] value, Committed before) {
    limits.checkKey(key);
    limits.checkValue("value", value);
    long after = reserve(key.length + (long) value.length);
    return add(new PutRecord(key.clone(), value.clone(), before), after);
  }

  /** Removes a record; removing an absent record changes nothing. */
  public StoreBatch delete(byte[] key) {
    limits.checkKey(key);
    long after = reserve(key.length);
    return add(new DeleteRecord(key.clone()), after);
  }

  /**
   * Sets piece {@code piece} of record {@code key}, creating or overwriting it. Pieces live beside
   * the record's value, not in it: a piece may exist whether or not the record does, and deleting
   * the record leaves its pieces (see {@link #deletePieces}).
   */
  public StoreBatch putPiece(byte[] key, byte[] piece, byte[] value) {
    return putPiece(key, piece, value, null);
  }

  /**
   * As {@link #putPiece(byte[], byte[], byte[])}, where the caller knows what the piece holds now
   * ({@code before}, null if it does not know); see {@link Committed}.
   */
  public StoreBatch putPiece(byte[] key, byte[] piece, byte[] value, Committed before) {
    limits.checkKey(key);
    limits.checkPiece(piece);
    limits.checkValue("piece value", value);
    long after = reserve(key.length + (long) piece.length + value.length);
    return add(new PutPiece(key.clone(), piece.clone(), value.clone(), before), after);
  }

  /**
   * Removes piece {@code piece} of record {@code key}; removing an absent piece changes nothing.
   */
  public StoreBatch deletePiece(byte[] key, byte[] piece) {
    return deletePiece(key, piece, null);
  }

  /**
   * As {@link #deletePiece(byte[], byte[])}, where the caller knows what the piece holds now
   * ({@code before}, null if it does not know); see {@link Committed}.
   */
  public StoreBatch deletePiece(byte[] key, byte[] piece, Committed before) {
    limits.checkKey(key);
    limits.checkPiece(piece);
    long after = reserve(key.length + (long) piece.length);
    return add(new DeletePiece(key.clone(), piece.clone(), before), after);
  }

  /**
   * Removes every piece of record {@code key} (one range delete, whatever their number); not the
   * record itself. Pieces put earlier in this batch go too; pieces put after it stay.
   */
  public StoreBatch deletePieces(byte[] key) {
    limits.checkKey(key);
    long after = reserve(key.length);
    return add(new DeletePieces(key.clone()), after);
  }

  /**
   * Appends entry {@code seq} to {@code origin}'s log. At commit, {@code seq} must be the origin's
   * head + 1: log streams have no gaps and no rewrites.
   */
  public StoreBatch appendLog(Origin origin, long seq, byte[] payload) {
    Objects.requireNonNull(origin, "origin");
    positive("log seq", seq);
    limits.checkValue("log payload", payload);
    long after = reserve(payload.length);
    return add(new AppendLog(origin, seq, payload.clone()), after);
  }

  /**
   * Drops {@code origin}'s log entries up to and including {@code throughSeq}. At commit, {@code
   * throughSeq} must not exceed the head; trimming below what is already trimmed changes nothing.
   */
  public StoreBatch trimLog(Origin origin, long throughSeq) {
    Objects.requireNonNull(origin, "origin");
    positive("trim throughSeq", throughSeq);
    long after = reserve(0);
    return add(new TrimLog(origin, throughSeq), after);
  }

  /**
   * Records that everything {@code origin} logged up to {@code appliedThrough} has been applied. At
   * commit, a cursor may stay or advance, never move back.
   */
  public StoreBatch setCursor(Origin origin, long appliedThrough) {
    Objects.requireNonNull(origin, "origin");
    positive("cursor appliedThrough", appliedThrough);
    long after = reserve(0);
    return add(new SetCursor(origin, appliedThrough), after);
  }

  /** Forgets the cursor of an origin (for example a departed member's old incarnation). */
  public StoreBatch deleteCursor(Origin origin) {
    Objects.requireNonNull(origin, "origin");
    long after = reserve(0);
    return add(new DeleteCursor(origin), after);
  }

  /** Sets a named meta value (node identity, clock high-water mark, membership, ...). */
  public StoreBatch putMeta(String name, byte[] value) {
    byte[] nameBytes = Origin.checkName("meta name", name);
    limits.checkMeta(value);
    long after = reserve(nameBytes.length + (long) value.length);
    return add(new PutMeta(nameBytes, value.clone()), after);
  }

  /** Removes a named meta value. */
  public StoreBatch deleteMeta(String name) {
    byte[] nameBytes = Origin.checkName("meta name", name);
    long after = reserve(nameBytes.length);
    return add(new DeleteMeta(nameBytes), after);
  }

  /**
   * Makes this batch fsync the write-ahead log when committed, whatever the store's default, so it
   * survives power loss and not only a process crash. For rare, precious writes (identity).
   */
  public StoreBatch syncOnCommit() {
    sync = true;
    return this;
  }

  /** True if this batch holds no operations; committing it writes nothing. */
  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** The number of operations added. */
  public int size() {
    return ops.size();
  }

  /** The bytes this batch counts against {@link StoreLimits#maxBatchBytes()}. */
  public long bytes() {
    return bytes;
  }

  boolean sync() {
    return sync;
  }

  StoreLimits limits() {
    return limits;
  }

  List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  private static void positive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + ": " + value + " (expected: >= 1)");
    }
  }

  /** Checks that {@code payloadBytes} more fit in the batch and returns the new total. */
  private long reserve(long payloadBytes) {
    long after = bytes + payloadBytes + OP_OVERHEAD;
    if (after > limits.maxBatchBytes()) {
      throw new IllegalArgumentException(
          "batch bytes: " + after + " (expected: <= " + limits.maxBatchBytes() + ")");
    }
    return after;
  }

  private StoreBatch add(Op op, long bytesAfter) {
    ops.add(op);
    bytes = bytesAfter;
    return this;
  }
}
