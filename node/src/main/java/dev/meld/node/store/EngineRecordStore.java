package dev.meld.node.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A {@link RecordStore} over an {@link Engine}: the encodings, rules, bookkeeping and session
 * protocol that both implementations share.
 */
abstract class EngineRecordStore implements RecordStore {

  /**
   * Version of the physical layout; bumped on incompatible changes. 2: pieces (issue 16). 3:
   * counters kept as their slots (issue 16), which an earlier version would misread; a store of
   * format 2 is upgraded on open (see {@link StoreFormat}).
   */
  static final long FORMAT_VERSION = 3;

  private final Engine engine;
  private final ToLongFunction<byte[]> keyHash;
  private final String location;
  private final StoreLimits limits;
  private final boolean syncWrites;
  private final PriorShutdown priorShutdown;
  private final long session;

  /** Read lock: every use of the engine. Write lock: close, so no read races a native free. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private final Object commitLock = new Object();
  private final AtomicInteger openViews = new AtomicInteger();
  private volatile long keyCount;
  private boolean closed;

  /**
   * Begins a session on {@code engine}: checks the format and the hash function, decides how the
   * previous session ended, then fsyncs the open marker. The caller closes the engine if this
   * throws.
   *
   * @param location where the store lives, for messages: its directory, or "a memory image"
   */
  EngineRecordStore(
      Engine engine,
      ToLongFunction<byte[]> keyHash,
      String location,
      StoreLimits limits,
      boolean syncWrites,
      boolean markedRestored,
      boolean damaged) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.keyHash = Objects.requireNonNull(keyHash, "keyHash");
    this.location = Objects.requireNonNull(location, "location");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.syncWrites = syncWrites;
    this.session = Keys.u64(engine.get(Space.SYS, Keys.SESSION)) + 1;
    this.priorShutdown = beginSession(markedRestored, damaged);
    this.keyCount = Keys.u64(engine.get(Space.SYS, Keys.KEY_COUNT));
  }

  private PriorShutdown beginSession(boolean markedRestored, boolean damaged) {
    long probe = keyHash.applyAsLong(Keys.PROBE_KEY);
    byte[] format = engine.get(Space.SYS, Keys.FORMAT);
    List<Change> changes = new ArrayList<>();
    PriorShutdown prior;
    if (format == null) {
      changes.add(new Change.Put(Space.SYS, Keys.FORMAT, Keys.u64(FORMAT_VERSION)));
      changes.add(new Change.Put(Space.SYS, Keys.HASH_PROBE, Keys.u64(probe)));
      prior = PriorShutdown.FRESH;
    } else {
      long found = Keys.u64(format);
      if (StoreFormat.upgradable(found)) {
        changes.add(new Change.Put(Space.SYS, Keys.FORMAT, Keys.u64(FORMAT_VERSION)));
      } else if (found != FORMAT_VERSION) {
        throw StoreFormat.refusal(found, location, null);
      }
      long stored = Keys.u64(engine.get(Space.SYS, Keys.HASH_PROBE));
      if (stored != probe) {
        throw new IllegalArgumentException(
            String.format(
                "keyHash of the probe key: %016x (expected: %016x, as when the store was created;"
                    + " a store must always be opened with the same key hash function)",
                probe, stored));
      }
      if (damaged) {
        prior = PriorShutdown.DAMAGED;
      } else if (markedRestored) {
        prior = PriorShutdown.RESTORED;
      } else if (engine.get(Space.SYS, Keys.OPEN) != null) {
        prior = PriorShutdown.UNCLEAN;
      } else {
        prior = PriorShutdown.CLEAN;
      }
    }
    changes.add(new Change.Put(Space.SYS, Keys.OPEN, new byte[] {1}));
    changes.add(new Change.Put(Space.SYS, Keys.SESSION, Keys.u64(session)));
    engine.write(changes, true);
    return prior;
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    limits.checkKey(key);
    byte[] physical = Keys.record(keyHash.applyAsLong(key), key);
    return Optional.ofNullable(read(() -> engine.get(Space.RECORDS, physical)));
  }

  @Override
  public Optional<byte[]> piece(byte[] key, byte[] piece) {
    limits.checkKey(key);
    limits.checkPiece(piece);
    byte[] physical = Keys.concat(Keys.piecePrefix(keyHash.applyAsLong(key), key), piece);
    return Optional.ofNullable(read(() -> engine.get(Space.PIECES, physical)));
  }

  @Override
  public void scanPieces(
      byte[] key, byte[] fromInclusive, byte[] toExclusive, PieceVisitor visitor) {
    limits.checkKey(key);
    byte[] prefix = Keys.piecePrefix(keyHash.applyAsLong(key), key);
    scanPieces(null, prefix, fromInclusive, toExclusive, visitor);
  }

  private void scanPieces(
      Engine.View view,
      byte[] prefix,
      byte[] fromInclusive,
      byte[] toExclusive,
      PieceVisitor visitor) {
    limits.checkValue("fromInclusive", fromInclusive);
    if (toExclusive != null) {
      limits.checkValue("toExclusive", toExclusive);
      if (Arrays.compareUnsigned(fromInclusive, toExclusive) > 0) {
        throw new IllegalArgumentException(
            "fromInclusive: "
                + HexFormat.of().formatHex(fromInclusive)
                + " (expected: <= toExclusive "
                + HexFormat.of().formatHex(toExclusive)
                + ", unsigned)");
      }
    }
    Objects.requireNonNull(visitor, "visitor");
    byte[] from = Keys.concat(prefix, fromInclusive);
    byte[] to = toExclusive == null ? Keys.prefixEnd(prefix) : Keys.concat(prefix, toExclusive);
    Engine.EntryVisitor physical = (k, v) -> visitor.visit(Keys.pieceKey(k, prefix.length), v);
    read(
        () -> {
          if (view == null) {
            engine.scan(Space.PIECES, from, to, physical);
          } else {
            view.scan(Space.PIECES, from, to, physical);
          }
          return null;
        });
  }

  @Override
  public PieceView openPieces(byte[] key) {
    limits.checkKey(key);
    byte[] prefix = Keys.piecePrefix(keyHash.applyAsLong(key), key);
    Engine.View view =
        read(
            () -> {
              if (openViews.incrementAndGet() > MAX_OPEN_VIEWS) {
                openViews.decrementAndGet();
                throw new IllegalStateException(
                    "open piece views: " + MAX_OPEN_VIEWS + " (expected: fewer)");
              }
              try {
                return engine.openView();
              } catch (RuntimeException | Error e) {
                openViews.decrementAndGet();
                throw e;
              }
            });
    return new PieceView() {
      private final AtomicBoolean closed = new AtomicBoolean();

      @Override
      public void scan(byte[] fromInclusive, byte[] toExclusive, PieceVisitor visitor) {
        if (closed.get()) {
          throw new IllegalStateException("piece view is closed");
        }
        scanPieces(view, prefix, fromInclusive, toExclusive, visitor);
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          openViews.decrementAndGet();
          view.close(); // after the store closed, the engine has released it already
        }
      }
    };
  }

  @Override
  public int openViews() {
    return openViews.get();
  }

  @Override
  public void scan(long hashFrom, long hashToInclusive, RecordVisitor visitor) {
    Objects.requireNonNull(visitor, "visitor");
    if (Long.compareUnsigned(hashFrom, hashToInclusive) > 0) {
      throw new IllegalArgumentException(
          String.format(
              "hashFrom: %016x (expected: <= hashToInclusive %016x, unsigned)",
              hashFrom, hashToInclusive));
    }
    byte[] from = Keys.u64(hashFrom);
    byte[] to = hashToInclusive == -1L ? null : Keys.u64(hashToInclusive + 1);
    read(
        () -> {
          engine.scan(
              Space.RECORDS,
              from,
              to,
              (k, v) -> visitor.visit(Keys.recordHash(k), Keys.recordKey(k), v));
          return null;
        });
  }

  @Override
  public long keyCount() {
    return read(() -> keyCount);
  }

  @Override
  public LogBounds logBounds(Origin origin) {
    byte[] key = Keys.origin(Objects.requireNonNull(origin, "origin"));
    return read(
        () ->
            new LogBounds(
                Keys.u64(engine.get(Space.SYS, Keys.logTrim(key))),
                Keys.u64(engine.get(Space.SYS, Keys.logHead(key)))));
  }

  @Override
  public List<LogEntry> readLog(Origin origin, long fromSeq, int maxEntries, long maxBytes) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
    }
    byte[] key = Keys.origin(Objects.requireNonNull(origin, "origin"));
    return read(
        () -> {
          LogBounds bounds = logBounds(origin);
          if (fromSeq <= bounds.trimmedThrough()) {
            throw new IllegalArgumentException(
                "fromSeq of "
                    + origin
                    + ": "
                    + fromSeq
                    + " (expected: > trimmedThrough "
                    + bounds.trimmedThrough()
                    + ")");
          }
          List<LogEntry> entries = new ArrayList<>();
          if (fromSeq > bounds.head()) {
            return entries;
          }
          long[] bytes = {0};
          engine.scan(
              Space.LOG,
              Keys.log(key, fromSeq),
              Keys.logAfter(key, bounds.head()),
              (k, v) -> {
                if (!entries.isEmpty() && bytes[0] + v.length > maxBytes) {
                  return false;
                }
                bytes[0] += v.length;
                entries.add(new LogEntry(Keys.logSeq(k), v));
                return entries.size() < maxEntries;
              });
          return entries;
        });
  }

  @Override
  public List<Origin> logOrigins() {
    return read(
        () -> {
          List<Origin> origins = new ArrayList<>();
          int skip = Keys.LOG_HEAD_PREFIX.length;
          engine.scan(
              Space.SYS,
              Keys.LOG_HEAD_PREFIX,
              Keys.prefixEnd(Keys.LOG_HEAD_PREFIX),
              (k, v) -> origins.add(Keys.decodeOrigin(k, skip)));
          return Collections.unmodifiableList(origins);
        });
  }

  @Override
  public long cursor(Origin origin) {
    byte[] key = Keys.origin(Objects.requireNonNull(origin, "origin"));
    return read(() -> Keys.u64(engine.get(Space.CURSORS, key)));
  }

  @Override
  public Map<Origin, Long> cursors() {
    return read(
        () -> {
          Map<Origin, Long> cursors = new LinkedHashMap<>();
          engine.scan(
              Space.CURSORS,
              new byte[0],
              null,
              (k, v) -> {
                cursors.put(Keys.decodeOrigin(k, 0), Keys.u64(v));
                return true;
              });
          return Collections.unmodifiableMap(cursors);
        });
  }

  @Override
  public Optional<byte[]> meta(String name) {
    byte[] key = Origin.checkName("meta name", name);
    return Optional.ofNullable(read(() -> engine.get(Space.META, key)));
  }

  @Override
  public StoreBatch newBatch() {
    return new StoreBatch(limits);
  }

  @Override
  public boolean commit(StoreBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (!batch.limits().equals(limits)) {
      throw new IllegalArgumentException(
          "batch limits: " + batch.limits() + " (expected: this store's " + limits + ")");
    }
    return read(
        () -> {
          synchronized (commitLock) {
            BatchPlanner.Plan plan = BatchPlanner.plan(engine, keyHash, keyCount, batch);
            if (plan.changes().isEmpty()) {
              return false;
            }
            engine.write(plan.changes(), syncWrites || batch.sync());
            keyCount = plan.keyCountAfter();
            return true;
          }
        });
  }

  @Override
  public PriorShutdown priorShutdown() {
    return priorShutdown;
  }

  @Override
  public long session() {
    return session;
  }

  @Override
  public StoreLimits limits() {
    return limits;
  }

  @Override
  public void close() {
    if (lifecycle.getReadHoldCount() > 0) {
      throw new IllegalStateException("close() called from inside a scan or commit of this store");
    }
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        engine.syncAll();
        engine.write(List.of(new Change.Delete(Space.SYS, Keys.OPEN)), true);
      } finally {
        engine.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /**
   * Releases the engine without the clean-close protocol, leaving the open marker in place as a
   * killed process would. For tests of crash handling in this package.
   */
  final void abandon() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        engine.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** The engine, for the subclass's own views of it (images, tests). */
  final Engine engine() {
    return engine;
  }

  /** Runs {@code action} while the store is guaranteed open. */
  private <T> T read(Supplier<T> action) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("store is closed");
      }
      return action.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }
}
