package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared store contract on {@link RocksRecordStore}, plus directory-level behaviour. */
class RocksRecordStoreTest
    implements RecordContract, PieceContract, LogContract, LifecycleContract {

  @TempDir Path temp;
  private Path dir;
  private StoreLimits limits = StoreLimits.DEFAULTS;
  private final List<RecordStore> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    opened.forEach(RecordStore::close);
  }

  private RecordStore track(RecordStore store) {
    opened.add(store);
    return store;
  }

  private RecordStore openAt(Path at, ToLongFunction<byte[]> keyHash) {
    dir = at;
    return track(RocksRecordStore.open(at, keyHash, RocksStoreOptions.DEFAULTS.withLimits(limits)));
  }

  @Override
  public RecordStore open(ToLongFunction<byte[]> keyHash, StoreLimits limits) {
    this.limits = limits;
    return openAt(temp.resolve("store-" + opened.size()), keyHash);
  }

  @Override
  public RecordStore reopen(RecordStore store, ToLongFunction<byte[]> keyHash) {
    store.close();
    return openAt(dir, keyHash);
  }

  @Override
  public RecordStore crashAndReopen(RecordStore store) {
    ((EngineRecordStore) store).abandon();
    return openAt(dir, TestHashes.FIRST_BYTE);
  }

  @Override
  public RecordStore restoreAndReopen(RecordStore store) {
    store.close();
    Path copy = temp.resolve("restored-" + opened.size());
    TestDirs.copyTree(dir, copy);
    RocksRecordStore.markRestored(copy);
    return openAt(copy, TestHashes.FIRST_BYTE);
  }

  @Test
  void theRestoredMarkerFileIsRemovedOnceTheOpenMarkerIsDurable() {
    RecordStore store = open();
    store.close();
    RocksRecordStore.markRestored(dir);
    assertThat(dir.resolve(RocksRecordStore.RESTORED_MARKER)).exists();
    RecordStore reopened = openAt(dir, TestHashes.FIRST_BYTE);
    assertThat(reopened.priorShutdown()).isEqualTo(PriorShutdown.RESTORED);
    assertThat(dir.resolve(RocksRecordStore.RESTORED_MARKER)).doesNotExist();
  }

  @Test
  void aSecondOpenOfALiveDirectoryFailsWithoutHarmingTheFirst() {
    RecordStore store = open();
    store.commit(store.newBatch().put(bytes(1), bytes(1)));
    assertThatThrownBy(() -> openAt(dir, TestHashes.FIRST_BYTE))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot open RocksDB store at " + dir);
    assertThat(store.get(bytes(1))).isPresent();
  }

  @Test
  void markingAMissingDirectoryAsRestoredIsRefused() {
    Path missing = temp.resolve("missing");
    assertThatThrownBy(() -> RocksRecordStore.markRestored(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store directory: " + missing + " (expected: exists)");
  }
}
