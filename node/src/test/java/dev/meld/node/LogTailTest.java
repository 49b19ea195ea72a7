package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.Origin;
import dev.meld.node.store.StoreBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log's in-memory tail ({@link LogTail}) answers exactly what the store would: for every start
 * and every bound, a read served from the tail equals the same read from the store, and a read the
 * tail cannot serve whole goes to the store.
 */
class LogTailTest {

  private static final Origin ORIGIN = new Origin("a", 1);

  private static byte[] payload(int i) {
    // Entries of different sizes, so byte bounds cut at different places.
    return LogPayload.encode(
        ("key-" + i).getBytes(StandardCharsets.UTF_8), new byte[1 + (i * 7) % 23]);
  }

  private static void commit(MemoryRecordStore store, ReplicationLog log, int from, int to) {
    StoreBatch batch = store.newBatch();
    for (int i = from; i < to; i++) {
      log.append(batch, ORIGIN, payload(i));
    }
    store.commit(batch);
    log.committed(TestCluster.START);
  }

  @Test
  void readsFromTheTailEqualReadsFromTheStore() {
    MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    ReplicationLog log = new ReplicationLog(store, ORIGIN, TestCluster.START);
    commit(store, log, 0, 1);
    commit(store, log, 1, 40);
    commit(store, log, 40, 41);
    commit(store, log, 41, 100);
    log.trim(30);
    // Opened on the same store, this log keeps no tail: every read goes to the store.
    ReplicationLog fromStore = new ReplicationLog(store, ORIGIN, TestCluster.START);
    for (long from = 31; from <= 100; from++) {
      for (int maxEntries : new int[] {1, 2, 7, 100}) {
        for (long maxBytes : new long[] {1, 30, 64, 200, 10_000}) {
          assertThat(log.read(from, maxEntries, maxBytes))
              .as("from %d, %d entries, %d bytes", from, maxEntries, maxBytes)
              .isEqualTo(fromStore.read(from, maxEntries, maxBytes));
        }
      }
    }
  }

  @Test
  void aTailBoundedByEntriesOrBytesServesOnlyWhatItHoldsWhole() {
    LogTail tail = new LogTail(4, 1_000);
    for (int seq = 1; seq <= 6; seq++) {
      tail.add(seq, payload(seq));
    }
    assertThat(tail.read(2, 10, 10_000)).as("evicted").isNull();
    assertThat(tail.read(3, 10, 10_000))
        .extracting(PeerMessage.Entry::seq)
        .containsExactly(3L, 4L, 5L, 6L);
    assertThat(tail.read(7, 10, 10_000)).as("past the newest").isNull();
    assertThat(tail.read(5, 1, 10_000)).extracting(PeerMessage.Entry::seq).containsExactly(5L);
    assertThat(tail.read(5, 10, 1))
        .as("always one")
        .extracting(PeerMessage.Entry::seq)
        .containsExactly(5L);

    tail.dropThrough(4);
    assertThat(tail.read(4, 10, 10_000)).as("trimmed").isNull();
    assertThat(tail.read(5, 10, 10_000)).extracting(PeerMessage.Entry::seq).containsExactly(5L, 6L);

    LogTail small = new LogTail(100, 2 * payload(1).length);
    small.add(1, payload(1));
    small.add(2, payload(1));
    small.add(3, payload(1));
    assertThat(small.read(1, 10, 10_000)).as("over its bytes").isNull();
    assertThat(small.read(2, 10, 10_000))
        .extracting(PeerMessage.Entry::seq)
        .containsExactly(2L, 3L);

    small.add(9, payload(9)); // not the next: what was kept no longer joins up
    assertThat(small.read(2, 10, 10_000)).isNull();
    assertThat(small.read(9, 10, 10_000)).extracting(PeerMessage.Entry::seq).containsExactly(9L);
  }

  @Test
  void aRolledBackBatchLeavesNothingInTheTail() {
    MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    ReplicationLog log = new ReplicationLog(store, ORIGIN, TestCluster.START);
    commit(store, log, 0, 3);
    log.append(store.newBatch(), ORIGIN, payload(99));
    log.rolledBack();
    commit(store, log, 3, 5);
    List<PeerMessage.Entry> read = log.read(1, 100, 10_000);
    assertThat(read).extracting(PeerMessage.Entry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(read)
        .isEqualTo(new ReplicationLog(store, ORIGIN, TestCluster.START).read(1, 100, 10_000));
  }
}
