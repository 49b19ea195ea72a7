package dev.meld.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecordStore} in a RocksDB directory: the real node's storage. Column families {@code
 * default} (bookkeeping), {@code records}, {@code pieces}, {@code log}, {@code cursors} and {@code
 * meta}; the write-ahead log is always on. The layout and guarantees are drawn in {@code
 * node/README.md}.
 *
 * <p>A store directory is opened by one process at a time (RocksDB's lock file). An operator who
 * restores a directory from a backup marks it before starting the node, with {@link
 * #markRestored(Path)} or simply {@code touch <dir>/RESTORED}: the next open reports {@link
 * PriorShutdown#RESTORED}, after which the marker file is removed.
 */
public final class RocksRecordStore extends EngineRecordStore {

  /** The file an operator creates in a store directory to mark it as a restored copy. */
  public static final String RESTORED_MARKER = "RESTORED";

  private static final Logger log = LoggerFactory.getLogger(RocksRecordStore.class);

  private final Path directory;
  private final StoreRecovery recovery;

  private RocksRecordStore(
      Path directory,
      RocksEngine engine,
      ToLongFunction<byte[]> keyHash,
      RocksStoreOptions options,
      boolean restored) {
    super(
        engine,
        keyHash,
        directory.toString(),
        options.limits(),
        options.syncWrites(),
        restored,
        engine.recovery().lost());
    this.directory = directory;
    this.recovery = engine.recovery();
  }

  /**
   * Opens the store in {@code directory}, creating it only if the directory is absent or empty.
   *
   * @param keyHash the record key hash; must be the same function every time this store is opened
   * @throws IllegalArgumentException if {@code keyHash} differs from the one the store was created
   *     with
   * @throws IllegalStateException if the store is in another format (a format-1 store, written
   *     before pieces, is refused without a byte of the directory changing)
   * @throws StoreException if RocksDB cannot open the directory (for example another process has it
   *     open), if the directory holds database files but no {@code CURRENT}, or if the write-ahead
   *     log lost acknowledged writes and {@link RocksStoreOptions#acceptDataLoss()} is off
   */
  public static RocksRecordStore open(
      Path directory, ToLongFunction<byte[]> keyHash, RocksStoreOptions options) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(options, "options");
    Path marker = directory.resolve(RESTORED_MARKER);
    boolean restored = Files.exists(marker);
    RocksEngine engine = RocksEngine.open(directory, options, !restored);
    RocksRecordStore store;
    try {
      store = new RocksRecordStore(directory, engine, keyHash, options, restored);
    } catch (RuntimeException | Error e) {
      engine.close();
      throw e;
    }
    StoreRecovery recovery = engine.recovery();
    if (recovery.lost()) {
      log.error("store at {}: {}; acting as DAMAGED (new incarnation)", directory, recovery.describe());
    } else if (recovery.outcome() == StoreRecovery.Outcome.TORN_TAIL_DROPPED) {
      log.warn("store at {}: {}", directory, recovery.describe());
    }
    if (restored) {
      // The fsynced open marker now carries the news: should this delete be lost, the worst case
      // is one more new incarnation on the next open.
      try {
        Files.deleteIfExists(marker);
      } catch (IOException e) {
        log.warn("could not remove {}; the next open will again report RESTORED", marker, e);
      }
    }
    return store;
  }

  /**
   * Marks the store in {@code directory} as restored from a backup, so the node that opens it next
   * takes a new incarnation. Call it (or create the file by hand) before starting the node.
   */
  public static void markRestored(Path directory) {
    Objects.requireNonNull(directory, "directory");
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("store directory: " + directory + " (expected: exists)");
    }
    try {
      Files.write(directory.resolve(RESTORED_MARKER), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark " + directory + " as restored", e);
    }
  }

  /** What the open found in the write-ahead log and what it accepted; fixed for this session. */
  public StoreRecovery recovery() {
    return recovery;
  }

  /** The directory this store lives in. */
  public Path directory() {
    return directory;
  }
}
