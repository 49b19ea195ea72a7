package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contract of the replication log, cursors and meta, run against every implementation. */
public interface LogContract extends StoreFixture {

  Origin A = new Origin("a", 1);
  Origin A2 = new Origin("a", 2);
  Origin B = new Origin("b", -1);

  /** Appends seqs 1..5 of A with payload sizes 10, 20, 30, 40, 50. */
  private static void appendFive(RecordStore store) {
    StoreBatch batch = store.newBatch();
    for (int seq = 1; seq <= 5; seq++) {
      batch.appendLog(A, seq, new byte[10 * seq]);
    }
    store.commit(batch);
  }

  private static List<Long> seqs(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::seq).toList();
  }

  @Test
  default void logAppendsMustFollowTheHead() {
    RecordStore store = open();
    assertThat(store.logBounds(A)).isEqualTo(LogBounds.NONE);
    assertThatThrownBy(() -> store.commit(store.newBatch().appendLog(A, 2, bytes(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("log seq of a#0000000000000001: 2 (expected: 1, the head + 1)");
    store.commit(store.newBatch().appendLog(A, 1, bytes(1)).appendLog(A, 2, bytes(2)));
    assertThatThrownBy(() -> store.commit(store.newBatch().appendLog(A, 2, bytes(9))))
        .hasMessage("log seq of a#0000000000000001: 2 (expected: 3, the head + 1)");
    assertThat(store.logBounds(A)).isEqualTo(new LogBounds(0, 2));
    assertThat(store.readLog(A, 1, 10, 100))
        .containsExactly(new LogEntry(1, bytes(1)), new LogEntry(2, bytes(2)));
  }

  @Test
  default void readLogHonoursCountAndByteLimitsButAlwaysReturnsOneEntry() {
    RecordStore store = open();
    appendFive(store);
    assertThat(seqs(store.readLog(A, 1, 3, Long.MAX_VALUE))).containsExactly(1L, 2L, 3L);
    assertThat(seqs(store.readLog(A, 1, 100, 30))).containsExactly(1L, 2L);
    assertThat(seqs(store.readLog(A, 1, 100, 29))).containsExactly(1L);
    assertThat(seqs(store.readLog(A, 3, 100, 5))).containsExactly(3L);
    assertThat(seqs(store.readLog(A, 5, 1, 1))).containsExactly(5L);
    assertThat(seqs(store.readLog(A, 2, 100, Long.MAX_VALUE))).containsExactly(2L, 3L, 4L, 5L);
    assertThat(store.readLog(A, 6, 100, 100)).isEmpty();
    assertThat(store.readLog(B, 1, 100, 100)).isEmpty();
  }

  @Test
  default void readLogRejectsBadLimitsAndTrimmedStarts() {
    RecordStore store = open();
    appendFive(store);
    store.commit(store.newBatch().trimLog(A, 2));
    assertThatThrownBy(() -> store.readLog(A, 2, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fromSeq of a#0000000000000001: 2 (expected: > trimmedThrough 2)");
    assertThatThrownBy(() -> store.readLog(A, 3, 0, 10))
        .hasMessage("maxEntries: 0 (expected: >= 1)");
    assertThatThrownBy(() -> store.readLog(A, 3, 1, 0)).hasMessage("maxBytes: 0 (expected: >= 1)");
    assertThatThrownBy(() -> store.readLog(null, 3, 1, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  default void trimDropsAPrefixAndTheHeadSurvivesRestarts() {
    RecordStore store = open();
    appendFive(store);
    assertThat(store.commit(store.newBatch().trimLog(A, 3))).isTrue();
    assertThat(store.logBounds(A)).isEqualTo(new LogBounds(3, 5));
    assertThat(seqs(store.readLog(A, 4, 10, 1000))).containsExactly(4L, 5L);
    assertThat(store.commit(store.newBatch().trimLog(A, 2))).isFalse();
    assertThatThrownBy(() -> store.commit(store.newBatch().trimLog(A, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trim throughSeq of a#0000000000000001: 6 (expected: <= head 5)");
    store.commit(store.newBatch().trimLog(A, 5));
    RecordStore reopened = reopen(store);
    assertThat(reopened.logBounds(A)).isEqualTo(new LogBounds(5, 5));
    assertThat(reopened.readLog(A, 6, 10, 10)).isEmpty();
    reopened.commit(reopened.newBatch().appendLog(A, 6, bytes(6)));
    assertThat(reopened.readLog(A, 6, 10, 10)).containsExactly(new LogEntry(6, bytes(6)));
  }

  @Test
  default void appendAndTrimInOneBatchSeeEachOther() {
    RecordStore store = open();
    appendFive(store);
    store.commit(
        store
            .newBatch()
            .appendLog(A, 6, bytes(6))
            .appendLog(A, 7, bytes(7))
            .trimLog(A, 6)
            .appendLog(A, 8, bytes(8)));
    assertThat(store.logBounds(A)).isEqualTo(new LogBounds(6, 8));
    assertThat(seqs(store.readLog(A, 7, 10, 1000))).containsExactly(7L, 8L);
  }

  @Test
  default void originsAreSeparateStreams() {
    RecordStore store = open();
    store.commit(
        store
            .newBatch()
            .appendLog(A, 1, bytes(1))
            .appendLog(A2, 1, bytes(2))
            .appendLog(B, 1, bytes(3))
            .appendLog(B, 2, bytes(4)));
    store.commit(store.newBatch().trimLog(A, 1));
    assertThat(store.logBounds(A)).isEqualTo(new LogBounds(1, 1));
    assertThat(store.logBounds(A2)).isEqualTo(new LogBounds(0, 1));
    assertThat(store.readLog(A2, 1, 10, 10)).containsExactly(new LogEntry(1, bytes(2)));
    assertThat(seqs(store.readLog(B, 1, 10, 10))).containsExactly(1L, 2L);
    assertThat(store.logOrigins()).containsExactly(A, A2, B);
  }

  @Test
  default void cursorsAdvanceNeverMoveBackAndSurviveRestarts() {
    RecordStore store = open();
    assertThat(store.cursor(A)).isZero();
    store.commit(store.newBatch().setCursor(A, 3).setCursor(B, 1).setCursor(A, 4));
    assertThatThrownBy(() -> store.commit(store.newBatch().setCursor(A, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursor of a#0000000000000001: 2 (expected: >= 4, cursors never move back)");
    assertThat(store.cursors()).containsExactly(Map.entry(A, 4L), Map.entry(B, 1L));
    RecordStore reopened = reopen(store);
    assertThat(reopened.cursor(A)).isEqualTo(4);
    reopened.commit(reopened.newBatch().deleteCursor(A).setCursor(A2, 9));
    assertThat(reopened.cursors()).containsExactly(Map.entry(A2, 9L), Map.entry(B, 1L));
    reopened.commit(reopened.newBatch().setCursor(A, 1));
    assertThat(reopened.cursor(A)).isEqualTo(1);
  }

  @Test
  default void metaValuesArePutReadDeletedAndSurviveRestarts() {
    RecordStore store = open();
    store.commit(store.newBatch().putMeta("hlc", bytes(1, 2)).putMeta("members", bytes(3)));
    store.commit(store.newBatch().deleteMeta("members").putMeta("ünï", bytes(4)));
    RecordStore reopened = reopen(store);
    assertThat(reopened.meta("hlc")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(1, 2)));
    assertThat(reopened.meta("members")).isEmpty();
    assertThat(reopened.meta("ünï")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes(4)));
  }

  @Test
  default void recordsLogCursorsAndMetaCommitTogether() {
    RecordStore store = open();
    store.commit(
        store
            .newBatch()
            .put(bytes(1), bytes(1))
            .appendLog(A, 1, bytes(1))
            .setCursor(B, 8)
            .putMeta("m", bytes(1)));
    RecordStore crashed = crashAndReopen(store);
    assertThat(crashed.get(bytes(1))).isPresent();
    assertThat(crashed.logBounds(A)).isEqualTo(new LogBounds(0, 1));
    assertThat(crashed.cursor(B)).isEqualTo(8);
    assertThat(crashed.meta("m")).isPresent();
  }
}
