package dev.meld.node;

import dev.meld.node.store.LogBounds;
import dev.meld.node.store.LogEntry;
import dev.meld.node.store.Origin;
import dev.meld.node.store.PieceView;
import dev.meld.node.store.PieceVisitor;
import dev.meld.node.store.PriorShutdown;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.RecordVisitor;
import dev.meld.node.store.StoreBatch;
import dev.meld.node.store.StoreLimits;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store that counts the commits that wrote something, to show what a command did not write. */
final class CountingStore implements RecordStore {

  private final RecordStore delegate;
  private long commits;
  private long writingCommits;

  CountingStore(RecordStore delegate) {
    this.delegate = delegate;
  }

  private long pieceReads;

  /** Pieces of records read so far: point reads plus pieces a scan visited. */
  long pieceReads() {
    return pieceReads;
  }

  /** Commits called so far. */
  long commits() {
    return commits;
  }

  /** Commits that changed something. */
  long writingCommits() {
    return writingCommits;
  }

  private long lastBatchBytes;
  private int lastBatchOps;

  /** The bytes of the last batch committed, as {@link StoreBatch#bytes} counts them. */
  long lastBatchBytes() {
    return lastBatchBytes;
  }

  /** The operations of the last batch committed. */
  int lastBatchOps() {
    return lastBatchOps;
  }

  @Override
  public boolean commit(StoreBatch batch) {
    commits++;
    lastBatchBytes = batch.bytes();
    lastBatchOps = batch.size();
    boolean wrote = delegate.commit(batch);
    if (wrote) {
      writingCommits++;
    }
    return wrote;
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return delegate.get(key);
  }

  @Override
  public Optional<byte[]> piece(byte[] key, byte[] piece) {
    pieceReads++;
    return delegate.piece(key, piece);
  }

  @Override
  public void scanPieces(
      byte[] key, byte[] fromInclusive, byte[] toExclusive, PieceVisitor visitor) {
    delegate.scanPieces(
        key,
        fromInclusive,
        toExclusive,
        (p, v) -> {
          pieceReads++;
          return visitor.visit(p, v);
        });
  }

  @Override
  public PieceView openPieces(byte[] key) {
    return delegate.openPieces(key);
  }

  @Override
  public int openViews() {
    return delegate.openViews();
  }

  @Override
  public void scan(long hashFrom, long hashToInclusive, RecordVisitor visitor) {
    delegate.scan(hashFrom, hashToInclusive, visitor);
  }

  @Override
  public long keyCount() {
    return delegate.keyCount();
  }

  @Override
  public LogBounds logBounds(Origin origin) {
    return delegate.logBounds(origin);
  }

  @Override
  public List<LogEntry> readLog(Origin origin, long fromSeq, int maxEntries, long maxBytes) {
    return delegate.readLog(origin, fromSeq, maxEntries, maxBytes);
  }

  @Override
  public List<Origin> logOrigins() {
    return delegate.logOrigins();
  }

  @Override
  public long cursor(Origin origin) {
    return delegate.cursor(origin);
  }

  @Override
  public Map<Origin, Long> cursors() {
    return delegate.cursors();
  }

  @Override
  public Optional<byte[]> meta(String name) {
    return delegate.meta(name);
  }

  @Override
  public StoreBatch newBatch() {
    return delegate.newBatch();
  }

  @Override
  public PriorShutdown priorShutdown() {
    return delegate.priorShutdown();
  }

  @Override
  public long session() {
    return delegate.session();
  }

  @Override
  public StoreLimits limits() {
    return delegate.limits();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
