package dev.meld.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * An {@link Engine} on RocksDB: one column family per {@link Space}, the write-ahead log on, one
 * {@link WriteBatch} per write, checksums verified on every read. Owns every native object it
 * creates and frees them all on close. Opening never creates a database over existing files and
 * never silently drops acknowledged writes (see the comment above {@link #open}).
 */
final class RocksEngine implements Engine {

  static {
    RocksDB.loadLibrary();
  }

  /** Memtable size of the small column families (everything but records and pieces). */
  private static final long SMALL_WRITE_BUFFER = 4L << 20;

  /** Total WAL size that forces a flush of lagging column families, so old WAL files can go. */
  private static final long MAX_TOTAL_WAL = 64L << 20;

  private final Path dir;
  private final RocksDB db;
  private final EnumMap<Space, ColumnFamilyHandle> handles;
  private final WriteOptions async;
  private final WriteOptions sync;
  private final ReadOptions verified;
  private final AckMark mark;
  private final StoreRecovery recovery;

  /** Views not yet closed; guards {@link #closed} too. */
  private final Set<RocksView> views = new HashSet<>();

  private boolean closed;

  /** Everything native, in creation order; closed in reverse. */
  private final Deque<AutoCloseable> owned;

  private RocksEngine(Path dir, Opened opened, StoreRecovery recovery) {
    this.dir = dir;
    this.db = opened.db;
    this.handles = opened.handles;
    this.owned = opened.owned;
    this.recovery = recovery;
    try {
      this.async = own(owned, new WriteOptions().setSync(false));
      this.sync = own(owned, new WriteOptions().setSync(true));
      this.verified = own(owned, new ReadOptions().setVerifyChecksums(true));
      this.mark = own(owned, AckMark.open(dir, db.getLatestSequenceNumber()));
    } catch (RuntimeException | Error e) {
      closeAll(owned);
      throw e;
    }
  }

  /** A RocksDB handle and the native objects that came with it. */
  private record Opened(
      RocksDB db, EnumMap<Space, ColumnFamilyHandle> handles, Deque<AutoCloseable> owned)
      implements AutoCloseable {
    @Override
    public void close() {
      closeAll(owned);
    }
  }

  /*
   * How an open decides, and why in this order.
   *
   * 1. Refuse a directory with database files but no CURRENT (StoreDirectory), before RocksDB can
   *    create a new database over them; refuse a store of format 1 (StoreFormat) by its column
   *    families, read from the MANIFEST without opening it.
   * 2. Open strictly: WAL recovery mode kAbsoluteConsistency, paranoid checks on. Any damage in the
   *    WAL (a cut, a torn last record, a bad checksum) or in the MANIFEST or the table files it
   *    reads at open fails with Corruption, before anything is flushed or deleted. A store closed
   *    cleanly or killed between writes opens here, in one step.
   * 3. On Corruption, open read-only with kPointInTimeRecovery to learn how far the log is intact
   *    (a read-only open changes nothing on disk), and compare that with the acknowledged mark:
   *    - the recovered sequence reaches the mark: only the write in flight at the crash was torn,
   *      never acknowledged; open with kPointInTimeRecovery, which drops it.
   *    - it does not, or there is no mark to tell: acknowledged writes are gone. Refuse, unless
   *      the operator accepted the loss; then open with kPointInTimeRecovery, the longest
   *      consistent prefix (never a log with holes, as kSkipAnyCorruptedRecords would give).
   *    kTolerateCorruptedTailRecords is not used: it accepts a WAL cut anywhere as a "tail".
   * 4. A strict open that succeeds can still have lost acknowledged writes (a WAL deleted, or cut
   *    exactly between records); the mark catches that too, with the same refusal.
   * A RocksDB open that fails leaves nothing behind: whatever it added to the directory is removed.
   */

  /**
   * Opens the database in {@code dir}, or creates it if the directory is empty or absent.
   *
   * @param markTrusted whether the acknowledged mark belongs to this copy of the store (false for
   *     a store an operator marked restored: it is older than its mark by design)
   * @throws IllegalStateException if the store is of format 1 (no pieces column family)
   * @throws StoreException if the directory holds data without CURRENT, or the store is damaged
   *     and the loss was not accepted, or RocksDB fails
   */
  static RocksEngine open(Path dir, RocksStoreOptions options, boolean markTrusted) {
    StoreDirectory listing = StoreDirectory.snapshot(dir);
    boolean create = listing.mayCreate();
    if (!create) {
      StoreFormat.checkColumnFamilies(dir);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create store directory " + dir, e);
    }
    OptionalLong mark = create || !markTrusted ? OptionalLong.empty() : AckMark.read(dir);
    long acknowledged = mark.orElse(-1);
    Opened strict;
    try {
      strict = attempt(dir, options, WALRecoveryMode.AbsoluteConsistency, false, create);
    } catch (RocksDBException e) {
      listing.removeAdded();
      if (!isCorruption(e)) {
        throw new StoreException(
            "cannot open RocksDB store at " + dir + ": " + why(e), e);
      }
      return openDamaged(dir, options, listing, acknowledged, e);
    } catch (RuntimeException | Error e) {
      listing.removeAdded();
      throw e;
    }
    long recovered = strict.db.getLatestSequenceNumber();
    StoreRecovery recovery = StoreRecovery.intact(acknowledged, recovered);
    if (mark.isPresent() && recovered < acknowledged) {
      String detail = "the write-ahead log ends at sequence " + recovered + " without damage";
      if (!options.acceptDataLoss()) {
        strict.close();
        throw refusal(dir, acknowledged, recovered, detail, null);
      }
      recovery =
          new StoreRecovery(
              StoreRecovery.Outcome.RECOVERED_WITH_LOSS, acknowledged, recovered, detail);
    }
    return new RocksEngine(dir, strict, recovery);
  }

  private static RocksEngine openDamaged(
      Path dir,
      RocksStoreOptions options,
      StoreDirectory listing,
      long acknowledged,
      RocksDBException strictFailure) {
    long recovered;
    try (Opened probe =
        attempt(dir, options, WALRecoveryMode.PointInTimeRecovery, true, false)) {
      recovered = probe.db.getLatestSequenceNumber();
    } catch (RocksDBException e) {
      listing.removeAdded();
      StoreException failure =
          new StoreException(
              "store at "
                  + dir
                  + " is corrupt beyond a damaged log tail: "
                  + why(strictFailure)
                  + "; even a point-in-time recovery fails: "
                  + why(e)
                  + " (restore the directory from a backup, mark it RESTORED, or remove it and"
                  + " let the node resync from its peers)",
              strictFailure);
      failure.addSuppressed(e);
      throw failure;
    }
    listing.removeAdded();
    String detail = why(strictFailure);
    StoreRecovery recovery;
    if (acknowledged >= 0 && recovered >= acknowledged) {
      recovery =
          new StoreRecovery(
              StoreRecovery.Outcome.TORN_TAIL_DROPPED, acknowledged, recovered, detail);
    } else if (options.acceptDataLoss()) {
      recovery =
          new StoreRecovery(
              StoreRecovery.Outcome.RECOVERED_WITH_LOSS, acknowledged, recovered, detail);
    } else {
      throw refusal(dir, acknowledged, recovered, detail, strictFailure);
    }
    Opened lenient;
    try {
      lenient = attempt(dir, options, WALRecoveryMode.PointInTimeRecovery, false, false);
    } catch (RocksDBException e) {
      listing.removeAdded();
      throw new StoreException("cannot open RocksDB store at " + dir + ": " + why(e), e);
    } catch (RuntimeException | Error e) {
      listing.removeAdded();
      throw e;
    }
    // Opened: its new files are the database now (the recovery may have flushed the old WAL
    // away), so nothing is removed from here on, whatever fails.
    return new RocksEngine(dir, lenient, recovery);
  }

  private static StoreException refusal(
      Path dir, long acknowledged, long recovered, String detail, Throwable cause) {
    String known =
        acknowledged < 0
            ? "there is no acknowledged mark to tell whether acknowledged writes are among them"
            : "acknowledged writes reached sequence "
                + acknowledged
                + ", so "
                + (acknowledged - recovered)
                + " acknowledged sequence numbers are lost";
    return new StoreException(
        "store at "
            + dir
            + ": the write-ahead log is damaged ("
            + detail
            + "): it is intact up to sequence "
            + recovered
            + " (expected: through "
            + (acknowledged < 0 ? "the last acknowledged write" : "sequence " + acknowledged)
            + "); "
            + known
            + ". Refusing to start. To accept the loss, start with --accept-data-loss"
            + " (RocksStoreOptions.acceptDataLoss): the store opens up to sequence "
            + recovered
            + ", the node takes a new incarnation and anti-entropy repairs it from its peers",
        cause);
  }

  /** RocksDB's status code and message, e.g. {@code Corruption: block checksum mismatch ...}. */
  private static String why(RocksDBException e) {
    Status status = e.getStatus();
    return status == null ? e.getMessage() : status.getCodeString() + ": " + e.getMessage();
  }

  private static boolean isCorruption(RocksDBException e) {
    return e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption;
  }

  /** One RocksDB open with {@code mode}; everything native is freed if it fails. */
  private static Opened attempt(
      Path dir, RocksStoreOptions options, WALRecoveryMode mode, boolean readOnly, boolean create)
      throws RocksDBException {
    Deque<AutoCloseable> owned = new ArrayDeque<>();
    try {
      LRUCache cache = own(owned, new LRUCache(options.blockCacheBytes()));
      BloomFilter bloom = own(owned, new BloomFilter(10));
      RocksLog rocksLog = own(owned, new RocksLog());
      DBOptions dbOptions =
          own(
              owned,
              new DBOptions()
                  .setCreateIfMissing(create)
                  .setCreateMissingColumnFamilies(create)
                  .setErrorIfExists(create)
                  .setParanoidChecks(true)
                  .setWalRecoveryMode(mode)
                  .setMaxBackgroundJobs(2)
                  .setMaxTotalWalSize(MAX_TOTAL_WAL)
                  .setKeepLogFileNum(3)
                  .setLogger(rocksLog)
                  .setInfoLogLevel(InfoLogLevel.WARN_LEVEL));
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (Space space : Space.values()) {
        long writeBuffer =
            space == Space.RECORDS || space == Space.PIECES
                ? options.writeBufferBytes()
                : Math.min(options.writeBufferBytes(), SMALL_WRITE_BUFFER);
        ColumnFamilyOptions cf =
            own(
                owned,
                new ColumnFamilyOptions()
                    .setWriteBufferSize(writeBuffer)
                    .setTableFormatConfig(
                        new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)));
        descriptors.add(new ColumnFamilyDescriptor(space.columnFamilyName(), cf));
      }
      List<ColumnFamilyHandle> opened = new ArrayList<>();
      RocksDB db =
          own(
              owned,
              readOnly
                  ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, opened)
                  : RocksDB.open(dbOptions, dir.toString(), descriptors, opened));
      EnumMap<Space, ColumnFamilyHandle> handles = new EnumMap<>(Space.class);
      for (Space space : Space.values()) {
        handles.put(space, own(owned, opened.get(space.ordinal())));
      }
      return new Opened(db, handles, owned);
    } catch (RocksDBException | RuntimeException | Error e) {
      closeAll(owned);
      throw e;
    }
  }

  /** What this open found in the write-ahead log, and what it accepted. */
  StoreRecovery recovery() {
    return recovery;
  }

  private static <T extends AutoCloseable> T own(Deque<AutoCloseable> owned, T resource) {
    owned.push(resource);
    return resource;
  }

  @Override
  public byte[] get(Space space, byte[] key) {
    try {
      return db.get(handles.get(space), verified, key);
    } catch (RocksDBException e) {
      throw new StoreException(
          "read from " + space + " in " + dir + " failed: " + why(e), e);
    }
  }

  @Override
  public void scan(Space space, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor) {
    scan(null, space, fromInclusive, toExclusive, visitor);
  }

  private void scan(
      Snapshot snapshot,
      Space space,
      byte[] fromInclusive,
      byte[] toExclusive,
      EntryVisitor visitor) {
    try (ReadOptions read = new ReadOptions().setVerifyChecksums(true);
        Slice lower = new Slice(fromInclusive);
        Slice upper = toExclusive == null ? null : new Slice(toExclusive)) {
      read.setIterateLowerBound(lower);
      if (upper != null) {
        read.setIterateUpperBound(upper);
      }
      if (snapshot != null) {
        read.setSnapshot(snapshot);
      }
      try (RocksIterator it = db.newIterator(handles.get(space), read)) {
        for (it.seek(fromInclusive); it.isValid(); it.next()) {
          if (!visitor.visit(it.key(), it.value())) {
            break;
          }
        }
        it.status();
      }
    } catch (RocksDBException e) {
      throw new StoreException(
          "scan of " + space + " in " + dir + " failed: " + why(e), e);
    }
  }

  @Override
  public View openView() {
    synchronized (views) {
      if (closed) {
        throw new IllegalStateException("engine is closed");
      }
      RocksView view = new RocksView(db.getSnapshot());
      views.add(view);
      return view;
    }
  }

  /* A RocksDB snapshot: it keeps every version it can see from compaction until released, so a
   * view left open costs disk, and the engine releases any still open before the database. */
  private final class RocksView implements View {
    private final Snapshot snapshot;
    private boolean released;

    RocksView(Snapshot snapshot) {
      this.snapshot = snapshot;
    }

    @Override
    public synchronized void scan(
        Space space, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor) {
      if (released) {
        throw new IllegalStateException("view is closed");
      }
      RocksEngine.this.scan(snapshot, space, fromInclusive, toExclusive, visitor);
    }

    @Override
    public void close() {
      synchronized (views) {
        synchronized (this) {
          if (!released) {
            released = true;
            views.remove(this);
            db.releaseSnapshot(snapshot);
          }
        }
      }
    }
  }

  @Override
  public void write(List<Change> changes, boolean fsync) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Change change : changes) {
        ColumnFamilyHandle cf = handles.get(change.space());
        if (change instanceof Change.Put put) {
          batch.put(cf, put.key(), put.value());
        } else if (change instanceof Change.Delete delete) {
          batch.delete(cf, delete.key());
        } else if (change instanceof Change.DeleteRange range) {
          batch.deleteRange(cf, range.fromInclusive(), range.toExclusive());
        } else {
          throw new AssertionError("unknown change " + change);
        }
      }
      synchronized (mark) {
        db.write(fsync ? sync : async, batch);
        mark.advance(db.getLatestSequenceNumber());
      }
    } catch (RocksDBException e) {
      throw new StoreException("write to " + dir + " failed: " + why(e), e);
    }
  }

  @Override
  public long writeMark() {
    return db.getLatestSequenceNumber();
  }

  @Override
  public void syncAll() {
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      throw new StoreException("WAL sync failed: " + why(e), e);
    }
  }

  @Override
  public void close() {
    synchronized (views) {
      closed = true;
      for (RocksView view : List.copyOf(views)) {
        view.close();
      }
    }
    closeAll(owned);
  }

  private static void closeAll(Deque<AutoCloseable> owned) {
    RuntimeException failure = null;
    while (!owned.isEmpty()) {
      try {
        owned.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new StoreException("closing RocksDB failed: " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
