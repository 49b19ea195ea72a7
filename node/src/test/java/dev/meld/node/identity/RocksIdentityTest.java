package dev.meld.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.identity.Identity.Reason;
import dev.meld.node.store.RocksRecordStore;
import dev.meld.node.store.RocksStoreOptions;
import dev.meld.node.store.TestDirs;
import dev.meld.node.store.TestHashes;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restoring a RocksDB store directory from a backup, as an operator would. */
class RocksIdentityTest {

  @TempDir Path temp;

  private static RocksRecordStore open(Path dir) {
    return RocksRecordStore.open(dir, TestHashes.MIXED, RocksStoreOptions.DEFAULTS);
  }

  private static Identity identity(RocksRecordStore store) {
    return Identity.open(store, "n1", InstantSource.system(), new SecureRandom());
  }

  @Test
  void aMarkedRestoredCopyTakesANewIncarnationWhileAnUnmarkedCleanCopyCannotTellItWasRestored() {
    Path live = temp.resolve("live");
    Identity first;
    try (RocksRecordStore store = open(live)) {
      first = identity(store);
    }
    Path backup = temp.resolve("backup");
    TestDirs.copyTree(live, backup);
    Identity later;
    try (RocksRecordStore store = open(live)) {
      assertThat(identity(store))
          .isEqualTo(new Identity("n1", first.incarnation(), 1, Reason.KEPT));
    }
    RocksRecordStore.markRestored(live); // the live node's own later history, for the test
    try (RocksRecordStore store = open(live)) {
      later = identity(store);
    }

    Path restored = temp.resolve("restored");
    TestDirs.copyTree(backup, restored);
    RocksRecordStore.markRestored(restored);
    try (RocksRecordStore store = open(restored)) {
      Identity identity = identity(store);
      assertThat(identity.reason()).isEqualTo(Reason.RESTORED);
      assertThat(identity.incarnation()).isNotIn(first.incarnation(), later.incarnation());
    }

    // Why operators must mark restores: a cleanly closed copy looks like a clean restart.
    Path unmarked = temp.resolve("unmarked");
    TestDirs.copyTree(backup, unmarked);
    try (RocksRecordStore store = open(unmarked)) {
      assertThat(identity(store).reason()).isEqualTo(Reason.KEPT);
    }
  }
}
