package dev.meld.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.identity.Identity.Reason;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreLimits;
import dev.meld.node.store.TestHashes;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The incarnation rule on the in-memory store: kept after a clean close, new otherwise. */
class IdentityTest {

  private long now = 1_700_000_000_000L;
  private final InstantSource clock = () -> Instant.ofEpochMilli(now);
  private final RandomGenerator random = new SplittableRandom(42);

  private Identity open(RecordStore store) {
    now += 1_000;
    return Identity.open(store, "n1", clock, random);
  }

  private static MemoryRecordStore reopen(MemoryImage image) {
    return MemoryRecordStore.open(image, TestHashes.MIXED, StoreLimits.DEFAULTS);
  }

  private static MemoryRecordStore cleanRestart(MemoryRecordStore store) {
    store.close();
    return reopen(store.image());
  }

  @Test
  void aFreshStoreTakesAFirstIncarnationAndPersistsIt() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    Identity identity = open(store);
    assertThat(identity.reason()).isEqualTo(Reason.FRESH);
    assertThat(identity.generation()).isEqualTo(1);
    assertThat(Incarnations.stamp(identity.incarnation())).isEqualTo(now / 1000);
    assertThat(identity.origin().node()).isEqualTo("n1");
    assertThat(store.meta(Identity.META_NAME)).isPresent();
  }

  @Test
  void aCleanRestartKeepsTheIncarnationAndAnUncleanOneTakesANewOne() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    Identity first = open(store);
    store = cleanRestart(store);
    Identity kept = open(store);
    assertThat(kept.reason()).isEqualTo(Reason.KEPT);
    assertThat(kept.incarnation()).isEqualTo(first.incarnation());
    assertThat(kept.generation()).isEqualTo(1);
    MemoryRecordStore crashed = reopen(store.image()); // never closed: a crash
    Identity unclean = open(crashed);
    assertThat(unclean.reason()).isEqualTo(Reason.UNCLEAN);
    assertThat(unclean.generation()).isEqualTo(2);
    assertThat(Long.compareUnsigned(unclean.incarnation(), first.incarnation())).isPositive();
  }

  @Test
  void aRestoredCopyTakesANewIncarnationEvenThoughItWasClosedCleanly() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    Identity first = open(store);
    store.close();
    MemoryImage backup = store.image();
    MemoryRecordStore live = reopen(backup);
    open(live); // KEPT
    Identity later = open(reopen(live.image())); // crash: a new incarnation the backup never saw
    Identity restored = open(reopen(backup.markedRestored()));
    assertThat(restored.reason()).isEqualTo(Reason.RESTORED);
    assertThat(restored.incarnation()).isNotIn(first.incarnation(), later.incarnation());
    assertThat(restored.generation()).isEqualTo(2);
  }

  @Test
  void openingTwiceInOneSessionGivesTheSameAnswer() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    assertThat(open(store)).isEqualTo(open(store));
    MemoryRecordStore crashed = reopen(store.image());
    Identity unclean = open(crashed);
    assertThat(open(crashed)).isEqualTo(unclean);
    MemoryRecordStore clean = cleanRestart(crashed);
    assertThat(open(clean)).isEqualTo(open(clean));
  }

  @Test
  void aStoreHoldingAnotherNodesIdentityIsRefused() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    open(store);
    assertThatThrownBy(() -> Identity.open(store, "n2", clock, random))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "store identity: node 'n1' (expected: 'n2'); a node never adopts another node's store");
  }

  @Test
  void aCorruptStoredIdentityIsRefusedWithoutBeingReplaced() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    store.commit(store.newBatch().putMeta(Identity.META_NAME, new byte[] {1, 2, 'n'}));
    assertThatThrownBy(() -> open(store))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stored identity length: 3 bytes (expected: a complete record)");
    store.commit(store.newBatch().putMeta(Identity.META_NAME, new byte[] {9}));
    assertThatThrownBy(() -> open(store)).hasMessage("stored identity version: 9 (expected: 1)");
    assertThat(store.meta(Identity.META_NAME).orElseThrow()).containsExactly(9);
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingIsRead() {
    MemoryRecordStore store = MemoryRecordStore.create(TestHashes.MIXED);
    assertThatThrownBy(() -> Identity.open(store, "", clock, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node name length: 0 bytes (expected: 1..255)");
    assertThatThrownBy(() -> Identity.open(store, "n1", null, random))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
    assertThat(store.meta(Identity.META_NAME)).isEmpty();
  }
}
