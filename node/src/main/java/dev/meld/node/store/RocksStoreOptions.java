package dev.meld.node.store;

import java.util.Objects;

/**
 * How a {@link RocksRecordStore} is tuned. The defaults suit a small node: 16 MiB write buffers for
 * records and for pieces (4 MiB for the other column families), a 32 MiB block cache shared by all
 * of them, and no fsync per commit (commits survive a process crash; see {@link RecordStore} for
 * what survives power loss).
 *
 * @param syncWrites fsync the write-ahead log on every commit
 * @param writeBufferBytes memtable size of the records column family, and of the pieces one
 * @param blockCacheBytes LRU block cache shared by all column families
 * @param limits size limits on what is written
 * @param acceptDataLoss open a store whose write-ahead log lost acknowledged writes (or may have,
 *     with nothing to tell) up to its last intact point, instead of refusing; the store then
 *     reports {@link PriorShutdown#DAMAGED} and its {@link RocksRecordStore#recovery()} says what
 *     was lost. Off by default: the operator decides, with the node's {@code --accept-data-loss}
 */
public record RocksStoreOptions(
    boolean syncWrites,
    long writeBufferBytes,
    long blockCacheBytes,
    StoreLimits limits,
    boolean acceptDataLoss) {

  public static final RocksStoreOptions DEFAULTS =
      new RocksStoreOptions(false, 16L << 20, 32L << 20, StoreLimits.DEFAULTS, false);

  /** Smallest write buffer accepted, so the engine is not flushing constantly. */
  static final long MIN_WRITE_BUFFER_BYTES = 1L << 20;

  public RocksStoreOptions {
    Objects.requireNonNull(limits, "limits");
    if (writeBufferBytes < MIN_WRITE_BUFFER_BYTES) {
      throw new IllegalArgumentException(
          "writeBufferBytes: "
              + writeBufferBytes
              + " (expected: >= "
              + MIN_WRITE_BUFFER_BYTES
              + ")");
    }
    if (blockCacheBytes < 0) {
      throw new IllegalArgumentException(
          "blockCacheBytes: " + blockCacheBytes + " (expected: >= 0)");
    }
  }

  public RocksStoreOptions withSyncWrites(boolean sync) {
    return new RocksStoreOptions(sync, writeBufferBytes, blockCacheBytes, limits, acceptDataLoss);
  }

  public RocksStoreOptions withAcceptDataLoss(boolean accept) {
    return new RocksStoreOptions(syncWrites, writeBufferBytes, blockCacheBytes, limits, accept);
  }

  public RocksStoreOptions withWriteBufferBytes(long bytes) {
    return new RocksStoreOptions(syncWrites, bytes, blockCacheBytes, limits, acceptDataLoss);
  }

  public RocksStoreOptions withLimits(StoreLimits newLimits) {
    return new RocksStoreOptions(
        syncWrites, writeBufferBytes, blockCacheBytes, newLimits, acceptDataLoss);
  }
}
