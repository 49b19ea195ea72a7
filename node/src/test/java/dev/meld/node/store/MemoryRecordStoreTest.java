package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** The shared store contract on {@link MemoryRecordStore}, plus what only images can do. */
class MemoryRecordStoreTest
    implements RecordContract, PieceContract, LogContract, LifecycleContract {

  private StoreLimits limits = StoreLimits.DEFAULTS;

  @Override
  public RecordStore open(ToLongFunction<byte[]> keyHash, StoreLimits limits) {
    this.limits = limits;
    return MemoryRecordStore.open(MemoryImage.empty(), keyHash, limits);
  }

  @Override
  public RecordStore reopen(RecordStore store, ToLongFunction<byte[]> keyHash) {
    store.close();
    return MemoryRecordStore.open(((MemoryRecordStore) store).image(), keyHash, limits);
  }

  @Override
  public RecordStore crashAndReopen(RecordStore store) {
    MemoryImage disk = ((MemoryRecordStore) store).image();
    return MemoryRecordStore.open(disk, TestHashes.FIRST_BYTE, limits);
  }

  @Override
  public RecordStore restoreAndReopen(RecordStore store) {
    store.close();
    MemoryImage backup = ((MemoryRecordStore) store).image();
    return MemoryRecordStore.open(backup.markedRestored(), TestHashes.FIRST_BYTE, limits);
  }

  @Test
  void anImageIsUnaffectedByLaterCommitsAndReopensIndependently() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.FIRST_BYTE);
    store.commit(store.newBatch().put(bytes(1), bytes(1)));
    MemoryImage image = store.image();
    store.commit(store.newBatch().put(bytes(2), bytes(2)).put(bytes(1), bytes(9)));
    MemoryRecordStore a = MemoryRecordStore.open(image, TestHashes.FIRST_BYTE, limits);
    MemoryRecordStore b = MemoryRecordStore.open(image, TestHashes.FIRST_BYTE, limits);
    a.commit(a.newBatch().delete(bytes(1)));
    assertThat(StoreFixture.keys(a)).isEmpty();
    assertThat(StoreFixture.keys(b)).containsExactly("01");
    assertThat(b.get(bytes(1)).orElseThrow()).isEqualTo(bytes(1));
  }

  @Test
  void aWipedImageOpensFreshAndARestoredMarkIsConsumed() {
    MemoryRecordStore store = MemoryRecordStore.open(MemoryImage.empty(), TestHashes.MIXED, limits);
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.FRESH);
    store.close();
    MemoryImage restored = store.image().markedRestored();
    assertThat(restored.isMarkedRestored()).isTrue();
    MemoryRecordStore reopened = MemoryRecordStore.open(restored, TestHashes.MIXED, limits);
    assertThat(reopened.priorShutdown()).isEqualTo(PriorShutdown.RESTORED);
    assertThat(reopened.image().isMarkedRestored()).isFalse();
    reopened.close();
    assertThat(MemoryRecordStore.open(reopened.image(), TestHashes.MIXED, limits).priorShutdown())
        .isEqualTo(PriorShutdown.CLEAN);
  }
}
