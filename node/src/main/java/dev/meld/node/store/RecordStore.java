package dev.meld.node.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's durable substrate: records (key to encoded CRDT state) and their pieces, the replication
 * log, per-origin cursors and small meta values, all changed together through atomic {@link
 * StoreBatch}es. The replica reads and writes through this interface synchronously; {@link
 * RocksRecordStore} backs a real node and {@link MemoryRecordStore} the deterministic simulator,
 * with the same behaviour.
 *
 * <h2>Records</h2>
 *
 * Records are kept in physical order {@code (keyHash64 as unsigned 64-bit, key bytes as unsigned
 * bytes)}, where {@code keyHash64} is the function the store was opened with. An anti-entropy
 * segment is a contiguous hash range, so {@link #scan} lists it without touching other segments.
 *
 * <h2>Pieces</h2>
 *
 * A record may have pieces: values ordered under it by a piece key, so that a large value (a set)
 * can be a small header in the record plus one piece per element, each read and written alone. The
 * store gives pieces no meaning and keeps them apart from the record's value: {@link #get} and
 * {@link #scan} do not show them, a piece may exist without the record, deleting the record leaves
 * its pieces (the caller deletes both, {@link StoreBatch#deletePieces} in one range delete), and
 * {@link #keyCount()} counts records only. Physically the pieces of a record follow its hash, so a
 * hash range holds its records' pieces too.
 *
 * <h2>Durability</h2>
 *
 * {@link #commit} returns once the batch is in the write-ahead log and handed to the operating
 * system. What survives what:
 *
 * <ul>
 *   <li>process crash, {@code SIGKILL}, JVM abort: every committed batch survives;
 *   <li>operating-system crash or power loss: batches committed with fsync survive (store option
 *       {@code syncWrites}, or {@link StoreBatch#syncOnCommit()}); other recent batches may be
 *       lost, always as a suffix of whole batches, never partially. The open marker (see {@link
 *       #priorShutdown()}) is always fsynced, so a node that lost writes this way knows it;
 *   <li>{@link #close()} fsyncs everything before recording the clean shutdown.
 * </ul>
 *
 * <h2>Bad input and threads</h2>
 *
 * Null arguments get a {@link NullPointerException} naming the argument; values outside their
 * limits an {@link IllegalArgumentException} stating the value and the expectation. Either way
 * nothing changes. Implementations are thread-safe: commits are serialized and reads see committed
 * batches whole. Using a closed store throws {@link IllegalStateException}.
 */
public interface RecordStore extends AutoCloseable {

  /** The value of record {@code key}, if present. */
  Optional<byte[]> get(byte[] key);

  /** The value of piece {@code piece} of record {@code key}, if present. */
  Optional<byte[]> piece(byte[] key, byte[] piece);

  /**
   * Visits the pieces of record {@code key} whose piece key lies in [fromInclusive, toExclusive)
   * (toExclusive null: to the end of the record's pieces), in unsigned byte order of piece keys,
   * over a snapshot taken when the scan starts. The visitor returns false to stop. {@code
   * fromInclusive} may be empty (from the first piece).
   *
   * @throws IllegalArgumentException if {@code fromInclusive} is above {@code toExclusive}
   *     (unsigned), or a bound is longer than a piece key can be
   */
  void scanPieces(byte[] key, byte[] fromInclusive, byte[] toExclusive, PieceVisitor visitor);

  /** How many {@link PieceView}s may be open at once. */
  int MAX_OPEN_VIEWS = 256;

  /**
   * The pieces of record {@code key} as they are now, to be read over a long time; see {@link
   * PieceView}. The caller closes it; closing the store closes it too.
   *
   * @throws IllegalStateException if {@link #MAX_OPEN_VIEWS} views are open already
   */
  PieceView openPieces(byte[] key);

  /** The {@link PieceView}s open now. */
  int openViews();

  /**
   * Visits the records whose key hash lies in {@code [hashFrom, hashToInclusive]} (unsigned), in
   * physical order, over a snapshot taken when the scan starts: batches committed meanwhile, even
   * by the visitor, are not seen. {@code scan(0, -1, v)} visits everything.
   *
   * @throws IllegalArgumentException if {@code hashFrom} is above {@code hashToInclusive}
   */
  void scan(long hashFrom, long hashToInclusive, RecordVisitor visitor);

  /** The number of records, maintained on every commit (not counted by a scan). */
  long keyCount();

  /** What {@code origin}'s log holds; {@link LogBounds#NONE} if it never appended. */
  LogBounds logBounds(Origin origin);

  /**
   * Reads {@code origin}'s log from {@code fromSeq} on, in order: at most {@code maxEntries}
   * entries and at most {@code maxBytes} payload bytes, except that the first entry is always
   * returned whatever its size so a reader always makes progress. Empty if {@code fromSeq} is above
   * the head.
   *
   * @throws IllegalArgumentException if {@code fromSeq} is trimmed already (check {@link
   *     #logBounds} first: a peer that far behind needs anti-entropy) or a limit is below 1
   */
  List<LogEntry> readLog(Origin origin, long fromSeq, int maxEntries, long maxBytes);

  /** Every origin that ever appended to the log here, in encoded order. */
  List<Origin> logOrigins();

  /** How far {@code origin}'s log has been applied here; 0 if never. */
  long cursor(Origin origin);

  /** Every cursor, in encoded origin order. */
  Map<Origin, Long> cursors();

  /** The named meta value, if present. */
  Optional<byte[]> meta(String name);

  /** A new empty batch, checked against this store's limits. */
  StoreBatch newBatch();

  /**
   * Applies {@code batch} atomically and durably (see the class Javadoc). A batch whose net effect
   * changes nothing (empty, or every write equal to what is stored) writes nothing.
   *
   * @return whether anything was written
   * @throws IllegalArgumentException if an operation breaks a rule of the current state (log
   *     sequence not the head + 1, a trim above the head, a cursor moving back) or the batch was
   *     made with other limits; nothing is written
   * @throws StoreException if the engine fails; the batch may or may not have been applied as a
   *     whole
   */
  boolean commit(StoreBatch batch);

  /**
   * How the previous session ended. Opening a store writes (and fsyncs) an open marker; a clean
   * {@link #close()} clears it. Finding it on open means the last session was killed.
   */
  PriorShutdown priorShutdown();

  /**
   * The number of this session of this store: 1 for the session that created it, one more on every
   * open after. Persisted with the open marker; lets callers tell "decided in this session" apart.
   */
  long session();

  /** The limits this store enforces. */
  StoreLimits limits();

  /**
   * Closes cleanly: fsyncs everything committed, clears the open marker, releases resources.
   * Idempotent. Must not be called from inside a scan.
   */
  @Override
  void close();
}
