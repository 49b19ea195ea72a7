package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static dev.meld.node.store.StoreFixture.keys;
import static dev.meld.node.store.StoreFixture.scanned;
import static dev.meld.node.store.StoreFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract of records and batches, run against every {@link RecordStore} implementation. */
public interface RecordContract extends StoreFixture {

  Origin ORIGIN = new Origin("n1", 7);

  @Test
  default void getReturnsWhatWasPutAndNothingElse() {
    RecordStore store = open();
    store.commit(store.newBatch().put(utf8("a"), utf8("1")).put(utf8("b"), utf8("2")));
    assertThat(store.get(utf8("a"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("1")));
    assertThat(store.get(utf8("b"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("2")));
    assertThat(store.get(utf8("c"))).isEmpty();
    store.commit(store.newBatch().put(utf8("a"), utf8("3")).delete(utf8("b")));
    assertThat(store.get(utf8("a"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("3")));
    assertThat(store.get(utf8("b"))).isEmpty();
  }

  /** Physical order is (hash as unsigned 64-bit, key as unsigned bytes); see TestHashes.TABLE. */
  @Test
  default void scanOrdersByUnsignedHashThenKeyBytes() {
    RecordStore store = open();
    StoreBatch batch = store.newBatch();
    int[][] shuffled = {
      {4}, {0x81}, {1, 0x80}, {3}, {}, {2}, {1, 0x7F}, {6}, {9}, {0}, {7}, {1, 0}, {5}, {1}
    };
    for (int[] key : shuffled) {
      batch.put(bytes(key), bytes(0xAA));
    }
    store.commit(batch);
    assertThat(keys(store))
        .containsExactly(
            "", "00", // hash 0
            "01", "0100", "017f", "0180", "09", "81", // hash 1, keys as unsigned bytes
            "07", // 42
            "05", // 0x0123...
            "02", // 0x7fff...
            "03", // 0x8000...: above every positive hash, unsigned
            "06", // 0xfedc...
            "04"); // 0xffff...
  }

  @Test
  default void scanVisitsExactlyTheInclusiveHashRange() {
    RecordStore store = open();
    StoreBatch batch = store.newBatch();
    for (int first = 0; first < 8; first++) {
      batch.put(bytes(first), bytes(first)).put(bytes(first, 1), bytes(first));
    }
    store.commit(batch);
    assertThat(scanned(store, 0, -1)).hasSize(16);
    assertThat(scanned(store, 0, 0))
        .containsExactly("0000000000000000/00=00", "0000000000000000/0001=00");
    assertThat(scanned(store, -1, -1))
        .containsExactly("ffffffffffffffff/04=04", "ffffffffffffffff/0401=04");
    assertThat(scanned(store, 2, 41)).isEmpty();
    assertThat(scanned(store, 1, 42))
        .containsExactly(
            "0000000000000001/01=01",
            "0000000000000001/0101=01",
            "000000000000002a/07=07",
            "000000000000002a/0701=07");
    assertThat(scanned(store, 0x7FFF_FFFF_FFFF_FFFFL, 0x8000_0000_0000_0000L))
        .containsExactly(
            "7fffffffffffffff/02=02",
            "7fffffffffffffff/0201=02",
            "8000000000000000/03=03",
            "8000000000000000/0301=03");
  }

  @Test
  default void scanStopsWhenTheVisitorSaysSo() {
    RecordStore store = open();
    store.commit(store.newBatch().put(bytes(1), bytes(1)).put(bytes(2), bytes(2)));
    List<Long> seen = new ArrayList<>();
    store.scan(0, -1, (hash, key, value) -> seen.add(hash) && false);
    assertThat(seen).containsExactly(1L);
  }

  @Test
  default void scanRejectsAReversedRangeComparedUnsigned() {
    RecordStore store = open();
    assertThatThrownBy(() -> store.scan(-1, 0, (h, k, v) -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "hashFrom: ffffffffffffffff (expected: <= hashToInclusive 0000000000000000, unsigned)");
    assertThatThrownBy(() -> store.scan(0, -1, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  default void scanSeesASnapshotWhenTheVisitorCommits() {
    RecordStore store = open();
    store.commit(store.newBatch().put(bytes(1), bytes(1)).put(bytes(1, 2), bytes(1)));
    List<String> seen = new ArrayList<>();
    store.scan(
        0,
        -1,
        (hash, key, value) -> {
          seen.add(StoreFixture.hex(key));
          store.commit(store.newBatch().put(bytes(1, 1), bytes(9)).delete(bytes(1, 2)));
          return true;
        });
    assertThat(seen).containsExactly("01", "0102");
    assertThat(keys(store)).containsExactly("01", "0101");
  }

  @Test
  default void keyCountFollowsInsertsOverwritesAndDeletes() {
    RecordStore store = open();
    assertThat(store.keyCount()).isZero();
    store.commit(store.newBatch().put(bytes(1), bytes(1)).put(bytes(2), bytes(2)));
    assertThat(store.keyCount()).isEqualTo(2);
    store.commit(store.newBatch().put(bytes(1), bytes(3)).delete(bytes(9)));
    assertThat(store.keyCount()).isEqualTo(2);
    store.commit(store.newBatch().put(bytes(3), bytes(3)).delete(bytes(3)).delete(bytes(2)));
    assertThat(store.keyCount()).isEqualTo(1);
    store.commit(store.newBatch().delete(bytes(1)).put(bytes(1), bytes(4)));
    assertThat(store.keyCount()).isEqualTo(1);
    store = reopen(store);
    assertThat(store.keyCount()).isEqualTo(1);
    store.commit(store.newBatch().delete(bytes(1)));
    assertThat(store.keyCount()).isZero();
  }

  @Test
  default void aBatchThatBreaksARuleAppliesNothing() {
    RecordStore store = open();
    store.commit(store.newBatch().put(bytes(1), bytes(1)).appendLog(ORIGIN, 1, bytes(1)));
    long mark = writeMark(store);
    StoreBatch bad =
        store
            .newBatch()
            .put(bytes(2), bytes(2))
            .delete(bytes(1))
            .setCursor(ORIGIN, 5)
            .putMeta("m", bytes(1))
            .appendLog(ORIGIN, 3, bytes(3));
    assertThatThrownBy(() -> store.commit(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("log seq of n1#0000000000000007: 3 (expected: 2, the head + 1)");
    assertThat(writeMark(store)).isEqualTo(mark);
    assertThat(keys(store)).containsExactly("01");
    assertThat(store.keyCount()).isEqualTo(1);
    assertThat(store.cursor(ORIGIN)).isZero();
    assertThat(store.meta("m")).isEmpty();
    assertThat(store.logBounds(ORIGIN)).isEqualTo(new LogBounds(0, 1));
  }

  @Test
  default void aBatchThatChangesNothingWritesNothing() {
    RecordStore store = open();
    store.commit(
        store.newBatch().put(bytes(1), bytes(1)).setCursor(ORIGIN, 3).putMeta("m", bytes(1)));
    long mark = writeMark(store);
    assertThat(store.commit(store.newBatch())).isFalse();
    assertThat(store.commit(store.newBatch().put(bytes(1), bytes(1)))).isFalse();
    assertThat(store.commit(store.newBatch().delete(bytes(2)))).isFalse();
    assertThat(store.commit(store.newBatch().put(bytes(1), bytes(2)).put(bytes(1), bytes(1))))
        .isFalse();
    assertThat(store.commit(store.newBatch().put(bytes(2), bytes(2)).delete(bytes(2)))).isFalse();
    assertThat(store.commit(store.newBatch().setCursor(ORIGIN, 3).putMeta("m", bytes(1))))
        .isFalse();
    assertThat(store.commit(store.newBatch().deleteCursor(new Origin("other", 1)))).isFalse();
    assertThat(writeMark(store)).isEqualTo(mark);
    assertThat(store.commit(store.newBatch().put(bytes(1), bytes(2)))).isTrue();
    assertThat(writeMark(store)).isNotEqualTo(mark);
  }

  @Test
  default void arraysAreCopiedInAndOut() {
    RecordStore store = open();
    byte[] key = bytes(1);
    byte[] value = bytes(5);
    StoreBatch batch = store.newBatch().put(key, value);
    key[0] = 2;
    value[0] = 6;
    store.commit(batch);
    byte[] read = store.get(bytes(1)).orElseThrow();
    assertThat(read).isEqualTo(bytes(5));
    read[0] = 7;
    assertThat(store.get(bytes(1)).orElseThrow()).isEqualTo(bytes(5));
    store.scan(0, -1, (h, k, v) -> (v[0] = 8) == 8);
    assertThat(store.get(bytes(1)).orElseThrow()).isEqualTo(bytes(5));
  }

  @Test
  default void emptyKeysAndValuesAreRecordsLikeAnyOther() {
    RecordStore store = open();
    store.commit(store.newBatch().put(new byte[0], new byte[0]));
    assertThat(store.get(new byte[0])).hasValueSatisfying(v -> assertThat(v).isEmpty());
    assertThat(store.keyCount()).isEqualTo(1);
    assertThat(scanned(store, 0, 0)).containsExactly("0000000000000000/=");
  }
}
