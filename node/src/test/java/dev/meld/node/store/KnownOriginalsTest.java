package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A batch may carry what its writer knows a record or piece holds ({@link Committed}); the commit
 * then plans against that instead of reading the store, and still writes nothing for no change.
 */
class KnownOriginalsTest {

  private static final byte[] KEY = bytes(1);

  private final MemoryRecordStore store = MemoryRecordStore.create(TestHashes.FIRST_BYTE);

  private long reads() {
    return EngineReads.records(store) + EngineReads.pieces(store);
  }

  @Test
  void aCommitWhoseOriginalsAreKnownReadsNoneOfThem() {
    store.commit(store.newBatch().put(KEY, bytes(10)).putPiece(KEY, bytes(7), bytes(70)));
    long before = reads();

    store.commit(
        store
            .newBatch()
            .put(KEY, bytes(11), Committed.of(bytes(10)))
            .putPiece(KEY, bytes(8), bytes(80), Committed.ABSENT)
            .deletePiece(KEY, bytes(7), Committed.of(bytes(70))));

    assertThat(reads() - before).isZero();
    assertThat(store.get(KEY)).contains(bytes(11));
    assertThat(store.piece(KEY, bytes(8))).contains(bytes(80));
    assertThat(store.piece(KEY, bytes(7))).isEmpty();
    assertThat(store.keyCount()).isEqualTo(1);
  }

  @Test
  void aWriteOfTheKnownOriginalStillWritesNothing() {
    store.commit(store.newBatch().put(KEY, bytes(10)).putPiece(KEY, bytes(7), bytes(70)));

    boolean wrote =
        store.commit(
            store
                .newBatch()
                .put(KEY, bytes(10), Committed.of(bytes(10)))
                .putPiece(KEY, bytes(7), bytes(70), Committed.of(bytes(70)))
                .deletePiece(KEY, bytes(9), Committed.ABSENT));

    assertThat(wrote).isFalse();
  }

  @Test
  void aKnownAbsentRecordThatAppearsIsCounted() {
    store.commit(store.newBatch().put(KEY, bytes(10), Committed.ABSENT));

    assertThat(store.keyCount()).isEqualTo(1);
  }

  @Test
  void aRangeDeletedEarlierInTheBatchOutranksAKnownOriginal() {
    store.commit(store.newBatch().putPiece(KEY, bytes(7), bytes(70)));

    // The pieces are gone before the put lands: the put writes 70 again, known original or not.
    store.commit(
        store.newBatch().deletePieces(KEY).putPiece(KEY, bytes(7), bytes(70), Committed.of(bytes(70))));

    assertThat(store.piece(KEY, bytes(7))).contains(bytes(70));
  }

  @Test
  void anUnknownOriginalIsStillRead() {
    store.commit(store.newBatch().put(KEY, bytes(10)));
    long before = reads();

    store.commit(store.newBatch().put(KEY, bytes(11)));

    assertThat(reads() - before).isEqualTo(1);
  }
}
