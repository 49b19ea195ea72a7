package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static dev.meld.node.store.StoreFixture.hex;
import static dev.meld.node.store.StoreFixture.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Contract of record pieces (issue 16), run against every {@link RecordStore} implementation. With
 * {@link TestHashes#FIRST_BYTE}, keys {@code 01}, {@code 0180} and {@code 09} share hash 1 and keys
 * {@code ""} and {@code 00} share hash 0, so their pieces sit side by side.
 */
public interface PieceContract extends StoreFixture {

  byte[] SET = bytes(1);

  /** Every piece of {@code key} as "piece=value" in hex, in scan order. */
  static List<String> pieces(RecordStore store, byte[] key) {
    return pieces(store, key, new byte[0], null);
  }

  static List<String> pieces(RecordStore store, byte[] key, byte[] from, byte[] to) {
    List<String> out = new ArrayList<>();
    store.scanPieces(key, from, to, (piece, value) -> out.add(hex(piece) + "=" + hex(value)));
    return out;
  }

  static String piece(RecordStore store, byte[] key, byte[] piece) {
    return store.piece(key, piece).map(StoreFixture::hex).orElse("absent");
  }

  @Test
  default void aPieceIsReadBackAndStaysApartFromTheRecordAndTheKeyCount() {
    RecordStore store = open();
    store.commit(store.newBatch().putPiece(SET, bytes(7), bytes(70)));
    assertThat(piece(store, SET, bytes(7))).isEqualTo("46");
    assertThat(piece(store, SET, bytes(8))).isEqualTo("absent");
    assertThat(store.get(SET)).isEmpty();
    assertThat(keys(store)).isEmpty();
    assertThat(store.keyCount()).isZero();
    store.commit(store.newBatch().put(SET, bytes(1)).putPiece(SET, bytes(7), bytes(71)));
    assertThat(store.keyCount()).isEqualTo(1);
    assertThat(piece(store, SET, bytes(7))).isEqualTo("47");
    store.commit(store.newBatch().delete(SET));
    assertThat(store.keyCount()).isZero();
    assertThat(pieces(store, SET))
        .as("deleting the record keeps its pieces")
        .containsExactly("07=47");
    store.commit(store.newBatch().deletePiece(SET, bytes(7)));
    assertThat(piece(store, SET, bytes(7))).isEqualTo("absent");
  }

  @Test
  default void scanPiecesVisitsOneRecordsPiecesInUnsignedOrderWithinTheBounds() {
    RecordStore store = open();
    StoreBatch batch = store.newBatch();
    for (int[] piece : new int[][] {{0x80, 1}, {0xFF}, {0x00}, {0x80}, {0x7F}}) {
      batch.putPiece(SET, bytes(piece), bytes(piece.length));
    }
    // Neighbours with the same hash. Without the key length in the physical key, piece 01 of key
    // 0180 would be the very key of piece 8001 of key 01.
    batch.putPiece(bytes(1, 0x80), bytes(1), bytes(9)).putPiece(bytes(9), bytes(0), bytes(9));
    batch.putPiece(bytes(0), bytes(0), bytes(9)).putPiece(new byte[0], bytes(0), bytes(8));
    store.commit(batch);
    assertThat(pieces(store, SET)).containsExactly("00=01", "7f=01", "80=01", "8001=02", "ff=01");
    assertThat(pieces(store, SET, bytes(0x7F), bytes(0x80, 1))).containsExactly("7f=01", "80=01");
    assertThat(pieces(store, SET, bytes(0x80, 0), null)).containsExactly("8001=02", "ff=01");
    assertThat(pieces(store, SET, bytes(0x81), bytes(0x81))).isEmpty();
    assertThat(pieces(store, bytes(1, 0x80))).containsExactly("01=09");
    assertThat(pieces(store, bytes(9))).containsExactly("00=09");
    assertThat(pieces(store, bytes(0))).containsExactly("00=09");
    assertThat(pieces(store, new byte[0])).containsExactly("00=08");
    assertThat(pieces(store, bytes(2))).isEmpty();
    List<String> first = new ArrayList<>();
    store.scanPieces(SET, new byte[0], null, (piece, value) -> first.add(hex(piece)) && false);
    assertThat(first).containsExactly("00");
  }

  @Test
  default void scanPiecesSeesASnapshotWhenTheVisitorCommits() {
    RecordStore store = open();
    store.commit(
        store.newBatch().putPiece(SET, bytes(1), bytes(1)).putPiece(SET, bytes(3), bytes(3)));
    List<String> seen = new ArrayList<>();
    store.scanPieces(
        SET,
        new byte[0],
        null,
        (piece, value) -> {
          seen.add(hex(piece));
          store.commit(store.newBatch().putPiece(SET, bytes(2), bytes(2)).deletePieces(SET));
          return true;
        });
    assertThat(seen).containsExactly("01", "03");
    assertThat(pieces(store, SET)).isEmpty();
  }

  /** Every piece of {@code key} that {@code view} sees, as "piece=value" in hex. */
  static List<String> pieces(PieceView view, byte[] from, byte[] to) {
    List<String> out = new ArrayList<>();
    view.scan(from, to, (piece, value) -> out.add(hex(piece) + "=" + hex(value)));
    return out;
  }

  @Test
  default void aPieceViewSeesThePiecesAsTheyWereWhenItOpenedWhateverIsCommittedLater() {
    RecordStore store = open();
    store.commit(
        store.newBatch().putPiece(SET, bytes(1), bytes(1)).putPiece(SET, bytes(3), bytes(3)));
    try (PieceView view = store.openPieces(SET)) {
      store.commit(
          store
              .newBatch()
              .putPiece(SET, bytes(1), bytes(9))
              .putPiece(SET, bytes(2), bytes(2))
              .deletePiece(SET, bytes(3)));
      assertThat(pieces(view, new byte[0], null)).containsExactly("01=01", "03=03");
      assertThat(pieces(view, bytes(2), null)).as("resumed mid-way").containsExactly("03=03");
      store.commit(store.newBatch().deletePieces(SET));
      assertThat(pieces(view, new byte[0], bytes(3))).containsExactly("01=01");
      assertThat(pieces(store, SET)).isEmpty();
    }
    try (PieceView other = store.openPieces(bytes(9))) {
      assertThat(pieces(other, new byte[0], null)).as("another record's view").isEmpty();
    }
  }

  @Test
  default void pieceViewsAreCountedUntilClosedAndBoundedAndARefusalOpensNothing() {
    RecordStore store = open();
    store.commit(store.newBatch().putPiece(SET, bytes(1), bytes(1)));
    List<PieceView> views = new ArrayList<>();
    for (int i = 0; i < RecordStore.MAX_OPEN_VIEWS; i++) {
      views.add(store.openPieces(SET));
    }
    assertThat(store.openViews()).isEqualTo(RecordStore.MAX_OPEN_VIEWS);
    assertThatThrownBy(() -> store.openPieces(SET))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("open piece views: " + RecordStore.MAX_OPEN_VIEWS);
    assertThat(store.openViews()).isEqualTo(RecordStore.MAX_OPEN_VIEWS);
    views.get(0).close();
    views.get(0).close();
    assertThat(store.openViews()).isEqualTo(RecordStore.MAX_OPEN_VIEWS - 1);
    assertThatThrownBy(() -> pieces(views.get(0), new byte[0], null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    views.forEach(PieceView::close);
    assertThat(store.openViews()).isZero();
    try (PieceView view = store.openPieces(SET)) {
      assertThat(pieces(view, new byte[0], null)).containsExactly("01=01");
    }
  }

  @Test
  default void closingTheStoreClosesItsOpenViews() {
    RecordStore store = open();
    store.commit(store.newBatch().putPiece(SET, bytes(1), bytes(1)));
    PieceView view = store.openPieces(SET);
    store.close();
    assertThatThrownBy(() -> pieces(view, new byte[0], null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    view.close(); // harmless after the store released it
  }

  @Test
  default void deletePiecesRemovesEveryPieceOfTheRecordInOneRangeDeleteAndNothingElse() {
    RecordStore store = open();
    StoreBatch batch = store.newBatch().put(SET, bytes(5));
    for (int i = 0; i < 1000; i++) {
      batch.putPiece(SET, bytes(i >> 8, i), bytes(i));
    }
    batch.putPiece(bytes(1, 0x80), bytes(1), bytes(9)).putPiece(bytes(9), bytes(0), bytes(9));
    batch.putPiece(bytes(1, 0), bytes(0), bytes(9)).putPiece(bytes(2), bytes(0), bytes(9));
    store.commit(batch);
    assertThat(pieces(store, SET)).hasSize(1000);
    long mark = writeMark(store);
    assertThat(store.commit(store.newBatch().deletePieces(SET))).isTrue();
    // RocksDB's mark moves by one per operation in a write: one range delete, not 1000 deletes.
    // (Memory's moves by one per write whatever it holds.)
    assertThat(writeMark(store) - mark).isEqualTo(1);
    assertThat(pieces(store, SET)).isEmpty();
    assertThat(store.get(SET)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(5)));
    assertThat(pieces(store, bytes(1, 0x80))).containsExactly("01=09");
    assertThat(pieces(store, bytes(9))).containsExactly("00=09");
    assertThat(pieces(store, bytes(1, 0))).containsExactly("00=09");
    assertThat(pieces(store, bytes(2))).containsExactly("00=09");
    assertThat(store.keyCount()).isEqualTo(1);
  }

  @Test
  default void piecesPutEarlierInTheBatchVanishWithDeletePieces() {
    RecordStore store = open();
    store.commit(store.newBatch().putPiece(SET, bytes(1), bytes(1)));
    store.commit(
        store
            .newBatch()
            .putPiece(SET, bytes(2), bytes(2))
            .putPiece(SET, bytes(1), bytes(9))
            .deletePieces(SET));
    assertThat(pieces(store, SET)).isEmpty();
    store = reopen(store);
    assertThat(pieces(store, SET)).isEmpty();
  }

  @Test
  default void aPiecePutAfterDeletePiecesInTheSameBatchSurvives() {
    RecordStore store = open();
    store.commit(
        store.newBatch().putPiece(SET, bytes(1), bytes(1)).putPiece(SET, bytes(2), bytes(2)));
    store.commit(
        store
            .newBatch()
            .putPiece(SET, bytes(3), bytes(3))
            .deletePieces(SET)
            .putPiece(SET, bytes(4), bytes(4))
            .putPiece(SET, bytes(2), bytes(5)));
    assertThat(pieces(store, SET)).containsExactly("02=05", "04=04");
    store = reopen(store);
    assertThat(pieces(store, SET)).containsExactly("02=05", "04=04");
  }

  @Test
  default void aStoredPieceRangeDeletedThenPutBackWithTheSameValueIsStillThere() {
    RecordStore store = open();
    store.commit(
        store.newBatch().putPiece(SET, bytes(1), bytes(1)).putPiece(SET, bytes(2), bytes(2)));
    // Untouched before the range: its first read is inside the deleted range, so it reads absent.
    assertThat(store.commit(store.newBatch().deletePieces(SET).putPiece(SET, bytes(1), bytes(1))))
        .isTrue();
    assertThat(pieces(store, SET)).containsExactly("01=01");
    // Touched before the range: the range makes its original absent, so the same value is new.
    assertThat(
            store.commit(
                store
                    .newBatch()
                    .putPiece(SET, bytes(1), bytes(1))
                    .deletePieces(SET)
                    .putPiece(SET, bytes(1), bytes(1))))
        .isTrue();
    assertThat(pieces(store, SET)).containsExactly("01=01");
    store = crashAndReopen(store);
    assertThat(pieces(store, SET)).containsExactly("01=01");
  }

  @Test
  default void aPieceDeletedInsideARangeDeletedEarlierInTheBatchIsSimplyAbsent() {
    RecordStore store = open();
    store.commit(
        store.newBatch().putPiece(SET, bytes(1), bytes(1)).putPiece(SET, bytes(2), bytes(2)));
    store.commit(
        store
            .newBatch()
            .deletePieces(SET)
            .deletePiece(SET, bytes(1))
            .putPiece(SET, bytes(2), bytes(7))
            .deletePiece(SET, bytes(2)));
    assertThat(pieces(store, SET)).isEmpty();
    assertThat(piece(store, SET, bytes(1))).isEqualTo("absent");
  }

  @Test
  default void pieceOperationsThatChangeNothingWriteNothing() {
    RecordStore store = open();
    store.commit(store.newBatch().putPiece(SET, bytes(1), bytes(1)));
    long mark = writeMark(store);
    assertThat(store.commit(store.newBatch().deletePiece(SET, bytes(2)))).isFalse();
    assertThat(store.commit(store.newBatch().deletePieces(bytes(2)))).isFalse();
    assertThat(store.commit(store.newBatch().putPiece(SET, bytes(1), bytes(1)))).isFalse();
    assertThat(
            store.commit(
                store
                    .newBatch()
                    .putPiece(SET, bytes(1), bytes(2))
                    .putPiece(SET, bytes(1), bytes(1))))
        .isFalse();
    assertThat(
            store.commit(
                store
                    .newBatch()
                    .putPiece(bytes(2), bytes(1), bytes(1))
                    .deletePieces(bytes(2))
                    .putPiece(bytes(3), bytes(1), bytes(1))
                    .deletePiece(bytes(3), bytes(1))))
        .isFalse();
    assertThat(writeMark(store)).isEqualTo(mark);
  }

  @Test
  default void piecesSurviveRestartsCrashesAndRestores() {
    RecordStore store = open();
    store.commit(store.newBatch().putPiece(SET, bytes(1), bytes(1)));
    store = reopen(store);
    store.commit(store.newBatch().putPiece(SET, bytes(2), bytes(2)));
    store = crashAndReopen(store);
    store.commit(store.newBatch().putPiece(SET, bytes(3), bytes(3)));
    store = restoreAndReopen(store);
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.RESTORED);
    assertThat(pieces(store, SET)).containsExactly("01=01", "02=02", "03=03");
  }

  @Test
  default void pieceArraysAreCopiedInAndOut() {
    RecordStore store = open();
    byte[] key = bytes(1);
    byte[] piece = bytes(2);
    byte[] value = bytes(3);
    StoreBatch batch = store.newBatch().putPiece(key, piece, value);
    key[0] = 9;
    piece[0] = 9;
    value[0] = 9;
    store.commit(batch);
    store.piece(bytes(1), bytes(2)).orElseThrow()[0] = 8;
    store.scanPieces(bytes(1), new byte[0], null, (p, v) -> (p[0] = v[0] = 7) == 7);
    assertThat(pieces(store, bytes(1))).containsExactly("02=03");
  }

  @Test
  default void badPieceInputIsRejectedWithTheValueAndTheExpectationAndChangesNothing() {
    RecordStore store = open(TestHashes.FIRST_BYTE, new StoreLimits(4, 16, 8, 200));
    StoreBatch batch = store.newBatch().putPiece(SET, bytes(1), bytes(1));
    assertThat(batch.bytes()).isEqualTo(3 + 32);
    assertThatThrownBy(() -> batch.putPiece(SET, new byte[0], bytes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("piece length: 0 (expected: >= 1)");
    assertThatThrownBy(() -> batch.putPiece(SET, new byte[17], bytes(1)))
        .hasMessage("piece length: 17 (expected: <= 16)");
    assertThatThrownBy(() -> batch.putPiece(SET, bytes(1), new byte[17]))
        .hasMessage("piece value length: 17 (expected: <= 16)");
    assertThatThrownBy(() -> batch.putPiece(new byte[5], bytes(1), bytes(1)))
        .hasMessage("key length: 5 (expected: <= 4)");
    assertThatThrownBy(() -> batch.deletePiece(SET, new byte[0]))
        .hasMessage("piece length: 0 (expected: >= 1)");
    assertThatThrownBy(() -> batch.deletePieces(new byte[5]))
        .hasMessage("key length: 5 (expected: <= 4)");
    assertThatThrownBy(() -> batch.putPiece(SET, null, bytes(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("piece");
    assertThatThrownBy(() -> batch.putPiece(SET, bytes(1), null)).hasMessage("piece value");
    assertThatThrownBy(() -> batch.deletePieces(null)).hasMessage("key");
    assertThat(batch.size()).isEqualTo(1);
    assertThat(batch.bytes()).isEqualTo(35);
    batch.putPiece(SET, new byte[16], new byte[16]); // 35 + (1 + 16 + 16) + 32 = 100
    batch.deletePiece(SET, new byte[16]); // 100 + (1 + 16) + 32 = 149
    batch.deletePieces(bytes(1, 2, 3, 4)); // 149 + 4 + 32 = 185: the key only
    assertThat(batch.bytes()).isEqualTo(185);
    assertThatThrownBy(() -> batch.putPiece(SET, bytes(1), bytes(1)))
        .hasMessage("batch bytes: 220 (expected: <= 200)");
    assertThatThrownBy(() -> batch.deletePieces(SET))
        .hasMessage("batch bytes: 218 (expected: <= 200)");
    assertThat(batch.size()).isEqualTo(4);
    assertThat(batch.bytes()).isEqualTo(185);
    assertThatThrownBy(() -> store.piece(SET, new byte[0]))
        .hasMessage("piece length: 0 (expected: >= 1)");
    assertThatThrownBy(() -> store.piece(new byte[5], bytes(1)))
        .hasMessage("key length: 5 (expected: <= 4)");
    assertThatThrownBy(() -> store.scanPieces(SET, bytes(2), bytes(1, 0xFF), (p, v) -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fromInclusive: 02 (expected: <= toExclusive 01ff, unsigned)");
    assertThatThrownBy(() -> store.scanPieces(SET, new byte[17], null, (p, v) -> true))
        .hasMessage("fromInclusive length: 17 (expected: <= 16)");
    assertThatThrownBy(() -> store.scanPieces(SET, null, null, (p, v) -> true))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fromInclusive");
    assertThatThrownBy(() -> store.scanPieces(SET, new byte[0], null, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(pieces(store, SET)).isEmpty();
  }
}
