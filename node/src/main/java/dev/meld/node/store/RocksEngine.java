package dev.meld.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
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
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * An {@link Engine} on RocksDB: one column family per {@link Space}, the write-ahead log on, one
 * {@link WriteBatch} per write. Owns every native object it creates and frees them all on close.
 */
final class RocksEngine implements Engine {

  static {
    RocksDB.loadLibrary();
  }

  /** Memtable size of the small column families (everything but records). */
  private static final long SMALL_WRITE_BUFFER = 4L << 20;

  /** Total WAL size that forces a flush of lagging column families, so old WAL files can go. */
  private static final long MAX_TOTAL_WAL = 64L << 20;

  private final RocksDB db;
  private final EnumMap<Space, ColumnFamilyHandle> handles;
  private final WriteOptions async;
  private final WriteOptions sync;

  /** Everything native, in creation order; closed in reverse. */
  private final Deque<AutoCloseable> owned;

  private RocksEngine(
      RocksDB db,
      EnumMap<Space, ColumnFamilyHandle> handles,
      WriteOptions async,
      WriteOptions sync,
      Deque<AutoCloseable> owned) {
    this.db = db;
    this.handles = handles;
    this.async = async;
    this.sync = sync;
    this.owned = owned;
  }

  static RocksEngine open(Path dir, RocksStoreOptions options) {
    Deque<AutoCloseable> owned = new ArrayDeque<>();
    try {
      Files.createDirectories(dir);
      LRUCache cache = own(owned, new LRUCache(options.blockCacheBytes()));
      BloomFilter bloom = own(owned, new BloomFilter(10));
      DBOptions dbOptions =
          own(
              owned,
              new DBOptions()
                  .setCreateIfMissing(true)
                  .setCreateMissingColumnFamilies(true)
                  .setMaxBackgroundJobs(2)
                  .setMaxTotalWalSize(MAX_TOTAL_WAL)
                  .setKeepLogFileNum(3)
                  .setInfoLogLevel(InfoLogLevel.WARN_LEVEL));
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (Space space : Space.values()) {
        long writeBuffer =
            space == Space.RECORDS
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
      WriteOptions async = own(owned, new WriteOptions().setSync(false));
      WriteOptions sync = own(owned, new WriteOptions().setSync(true));
      List<ColumnFamilyHandle> opened = new ArrayList<>();
      RocksDB db = own(owned, RocksDB.open(dbOptions, dir.toString(), descriptors, opened));
      EnumMap<Space, ColumnFamilyHandle> handles = new EnumMap<>(Space.class);
      for (Space space : Space.values()) {
        handles.put(space, own(owned, opened.get(space.ordinal())));
      }
      return new RocksEngine(db, handles, async, sync, owned);
    } catch (RocksDBException e) {
      closeAll(owned);
      throw new StoreException("cannot open RocksDB store at " + dir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      closeAll(owned);
      throw new UncheckedIOException("cannot create store directory " + dir, e);
    } catch (RuntimeException | Error e) {
      closeAll(owned);
      throw e;
    }
  }

  private static <T extends AutoCloseable> T own(Deque<AutoCloseable> owned, T resource) {
    owned.push(resource);
    return resource;
  }

  @Override
  public byte[] get(Space space, byte[] key) {
    try {
      return db.get(handles.get(space), key);
    } catch (RocksDBException e) {
      throw new StoreException("read from " + space + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void scan(Space space, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor) {
    try (ReadOptions read = new ReadOptions();
        Slice lower = new Slice(fromInclusive);
        Slice upper = toExclusive == null ? null : new Slice(toExclusive)) {
      read.setIterateLowerBound(lower);
      if (upper != null) {
        read.setIterateUpperBound(upper);
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
      throw new StoreException("scan of " + space + " failed: " + e.getMessage(), e);
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
      db.write(fsync ? sync : async, batch);
    } catch (RocksDBException e) {
      throw new StoreException("write failed: " + e.getMessage(), e);
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
      throw new StoreException("WAL sync failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
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
