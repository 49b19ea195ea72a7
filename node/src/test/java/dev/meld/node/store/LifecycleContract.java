package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Contract of limits, bad input, sessions and shutdown detection, for every implementation. */
public interface LifecycleContract extends StoreFixture {

  StoreLimits SMALL = new StoreLimits(4, 16, 8, 200);
  Origin O = new Origin("o", 1);

  @Test
  default void badInputIsRejectedWithTheValueAndTheExpectationAndChangesNothing() {
    RecordStore store = open(TestHashes.FIRST_BYTE, SMALL);
    StoreBatch batch = store.newBatch().put(bytes(1), bytes(1));
    assertThatThrownBy(() -> batch.put(new byte[5], bytes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key length: 5 (expected: <= 4)");
    assertThatThrownBy(() -> batch.put(bytes(2), new byte[17]))
        .hasMessage("value length: 17 (expected: <= 16)");
    assertThatThrownBy(() -> batch.appendLog(O, 1, new byte[17]))
        .hasMessage("log payload length: 17 (expected: <= 16)");
    assertThatThrownBy(() -> batch.putMeta("m", new byte[9]))
        .hasMessage("meta value length: 9 (expected: <= 8)");
    assertThatThrownBy(() -> batch.putMeta("", bytes(1)))
        .hasMessage("meta name length: 0 bytes (expected: 1..255)");
    assertThatThrownBy(() -> batch.deleteMeta("x".repeat(256)))
        .hasMessage("meta name length: 256 bytes (expected: 1..255)");
    assertThatThrownBy(() -> batch.appendLog(O, 0, bytes(1)))
        .hasMessage("log seq: 0 (expected: >= 1)");
    assertThatThrownBy(() -> batch.setCursor(O, -1))
        .hasMessage("cursor appliedThrough: -1 (expected: >= 1)");
    assertThatThrownBy(() -> batch.trimLog(O, 0)).hasMessage("trim throughSeq: 0 (expected: >= 1)");
    assertThatThrownBy(() -> batch.put(null, bytes(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key");
    assertThatThrownBy(() -> batch.put(bytes(1), null)).hasMessage("value");
    assertThatThrownBy(() -> batch.appendLog(null, 1, bytes(1))).hasMessage("origin");
    assertThatThrownBy(() -> new Origin("", 1))
        .hasMessage("node name length: 0 bytes (expected: 1..255)");
    assertThat(batch.size()).isEqualTo(1);
    assertThat(batch.bytes()).isEqualTo(34);
    batch.put(bytes(2), new byte[16]).put(bytes(3), new byte[16]).put(bytes(4), new byte[16]);
    assertThat(batch.bytes()).isEqualTo(181);
    assertThatThrownBy(() -> batch.put(bytes(5), new byte[16]))
        .hasMessage("batch bytes: 230 (expected: <= 200)");
    assertThat(batch.size()).isEqualTo(4);
    assertThatThrownBy(() -> store.get(new byte[5])).hasMessage("key length: 5 (expected: <= 4)");
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.meta("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.keyCount()).isZero();
  }

  @Test
  default void aBatchMadeForOtherLimitsIsRefused() {
    RecordStore store = open(TestHashes.FIRST_BYTE, SMALL);
    StoreBatch foreign = new StoreBatch(StoreLimits.DEFAULTS).put(new byte[100], bytes(1));
    assertThatThrownBy(() -> store.commit(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("batch limits: StoreLimits[maxKeyBytes=65536");
    assertThat(store.keyCount()).isZero();
  }

  @Test
  default void priorShutdownTellsFreshCleanUncleanAndRestored() {
    RecordStore store = open();
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.FRESH);
    store.commit(store.newBatch().put(bytes(1), bytes(1)));
    store = reopen(store);
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.CLEAN);
    store = crashAndReopen(store);
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.UNCLEAN);
    store = reopen(store);
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.CLEAN);
    store = restoreAndReopen(store);
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.RESTORED);
    assertThat(store.get(bytes(1))).isPresent();
    store = reopen(store);
    assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.CLEAN);
  }

  @Test
  default void sessionsCountOpens() {
    RecordStore store = open();
    assertThat(store.session()).isEqualTo(1);
    store = reopen(store);
    assertThat(store.session()).isEqualTo(2);
    store = crashAndReopen(store);
    assertThat(store.session()).isEqualTo(3);
  }

  @Test
  default void reopeningWithAnotherHashFunctionIsRefused() {
    RecordStore store = open();
    store.commit(store.newBatch().put(bytes(1), bytes(1)));
    assertThatThrownBy(() -> reopen(store, TestHashes.MIXED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("as when the store was created");
  }

  @Test
  default void aClosedStoreRefusesUseAndClosesIdempotently() {
    RecordStore store = open();
    store.close();
    store.close();
    assertThatThrownBy(() -> store.get(bytes(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store is closed");
    assertThatThrownBy(() -> store.commit(store.newBatch())).hasMessage("store is closed");
    assertThatThrownBy(() -> store.keyCount()).hasMessage("store is closed");
    assertThatThrownBy(() -> store.scan(0, -1, (h, k, v) -> true)).hasMessage("store is closed");
  }

  @Test
  default void closeFromInsideAScanIsRefused() {
    RecordStore store = open();
    store.commit(store.newBatch().put(bytes(1), bytes(1)));
    assertThatThrownBy(
            () ->
                store.scan(
                    0,
                    -1,
                    (h, k, v) -> {
                      store.close();
                      return true;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("close() called from inside a scan or commit of this store");
    assertThat(store.keyCount()).isEqualTo(1);
  }
}
