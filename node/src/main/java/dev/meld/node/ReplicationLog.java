package dev.meld.node;

import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.LogBounds;
import dev.meld.node.store.LogEntry;
import dev.meld.node.store.Origin;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's replication log: one entry per local write, numbered 1, 2, ... within the current
 * incarnation (the {@link Origin}), stored in the same batch as the write. Pumps read it to ship
 * batches; it is trimmed once every live peer has acknowledged a prefix, or beyond the retention
 * limits (a peer that falls behind is then repaired by anti-entropy).
 *
 * <p>Appends are staged into the write path's open batch and become the head once that batch
 * commits ({@link #committed}); a failed commit rolls them back.
 */
final class ReplicationLog {

  private static final int LOAD_CHUNK_ENTRIES = 4096;
  private static final long LOAD_CHUNK_BYTES = 16L << 20;
  private static final int TAIL_ENTRIES = 8192;
  private static final long TAIL_BYTES = 4L << 20;

  private final RecordStore store;
  private final Origin origin;
  private long head;
  private long trimmedThrough;
  private long stagedHead;
  private final List<byte[]> stagedPayloads = new ArrayList<>();
  private final LogTail tail = new LogTail(TAIL_ENTRIES, TAIL_BYTES);
  private final Map<Origin, Long> foreignHeads = new HashMap<>();
  private final LogIndex index;

  /** Opens the log of {@code origin}; entries retained from before are dated {@code nowMillis}. */
  ReplicationLog(RecordStore store, Origin origin, long nowMillis) {
    this.store = store;
    this.origin = origin;
    LogBounds bounds = store.logBounds(origin);
    this.head = bounds.head();
    this.trimmedThrough = bounds.trimmedThrough();
    this.stagedHead = head;
    this.index = new LogIndex(trimmedThrough + 1);
    for (long from = trimmedThrough + 1; from <= head; ) {
      List<LogEntry> chunk = store.readLog(origin, from, LOAD_CHUNK_ENTRIES, LOAD_CHUNK_BYTES);
      for (LogEntry e : chunk) {
        index.add(nowMillis, e.payload().length);
      }
      from = chunk.get(chunk.size() - 1).seq() + 1;
    }
  }

  Origin origin() {
    return origin;
  }

  /** The last committed sequence number (0 if none). */
  long head() {
    return head;
  }

  /** The head including entries staged but not committed yet. */
  long stagedHead() {
    return stagedHead;
  }

  long trimmedThrough() {
    return trimmedThrough;
  }

  long retainedEntries() {
    return head - trimmedThrough;
  }

  long retainedBytes() {
    return index.bytes();
  }

  /** Payload bytes of the retained entries after {@code seq}. */
  long bytesAfter(long seq) {
    return index.bytesAfter(seq);
  }

  /** When entry {@code seq} was committed (or this log opened, if earlier); -1 if not retained. */
  long commitTime(long seq) {
    return index.commitTime(seq);
  }

  /**
   * Stages the next entry of this node's log into {@code batch}; returns its sequence number.
   * {@code to} is normally this log's origin; another origin (a deliberate misbehavior) appends to
   * that origin's stream in this store, which no pump ever ships.
   */
  long append(StoreBatch batch, Origin to, byte[] payload) {
    if (!to.equals(origin)) {
      long seq = foreignHeads.computeIfAbsent(to, o -> store.logBounds(o).head()) + 1;
      batch.appendLog(to, seq, payload);
      foreignHeads.put(to, seq);
      return seq;
    }
    batch.appendLog(origin, stagedHead + 1, payload);
    stagedPayloads.add(payload);
    return ++stagedHead;
  }

  /** The staged entries were committed at {@code nowMillis}. */
  void committed(long nowMillis) {
    long seq = head;
    for (byte[] payload : stagedPayloads) {
      index.add(nowMillis, payload.length);
      tail.add(++seq, payload);
    }
    stagedPayloads.clear();
    foreignHeads.clear();
    head = stagedHead;
  }

  /** The staged entries were not committed. */
  void rolledBack() {
    stagedPayloads.clear();
    foreignHeads.clear();
    stagedHead = head;
  }

  /**
   * Reads committed entries from {@code fromSeq} (which must be retained) as replication entries:
   * at most {@code maxEntries} and {@code maxBytes} of payload, but always at least one.
   */
  List<PeerMessage.Entry> read(long fromSeq, int maxEntries, long maxBytes) {
    List<PeerMessage.Entry> kept = tail.read(fromSeq, maxEntries, maxBytes);
    if (kept != null) {
      return kept;
    }
    List<LogEntry> stored = store.readLog(origin, fromSeq, maxEntries, maxBytes);
    List<PeerMessage.Entry> entries = new ArrayList<>(stored.size());
    for (LogEntry e : stored) {
      entries.add(LogPayload.entry(e.seq(), e.payload()));
    }
    return entries;
  }

  /**
   * The sequence number to trim through: the lowest acknowledgement among the live peers ({@code
   * minAcked}), then further if the retention limits demand it. Never above the head.
   */
  long trimPoint(long minAcked, long maxEntries, long maxBytes) {
    long point = Math.min(minAcked, head);
    point = Math.max(point, head - maxEntries);
    point = Math.max(point, index.trimPointForBytes(maxBytes));
    return Math.min(point, head);
  }

  /** Trims the committed log through {@code seq} in a batch of its own; no-op if already there. */
  void trim(long seq) {
    long through = Math.min(seq, head);
    if (through <= trimmedThrough) {
      return;
    }
    store.commit(store.newBatch().trimLog(origin, through));
    trimmedThrough = through;
    index.dropThrough(through);
    tail.dropThrough(through);
  }
}
