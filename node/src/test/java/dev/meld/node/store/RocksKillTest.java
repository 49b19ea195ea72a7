package dev.meld.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.identity.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability against SIGKILL, for real: a child JVM commits batches to a {@link RocksRecordStore}
 * and prints each acknowledged sequence number; the test kills it with SIGKILL mid-stream, reopens
 * the store, and checks that every acknowledged batch is there whole and that the node took a new
 * incarnation (while a clean close keeps it).
 */
class RocksKillTest {

  private static final long TIMEOUT_SECONDS = ChildProcess.TIMEOUT_SECONDS;

  @TempDir Path dir;

  private ChildProcess start(String mode, int count) throws IOException {
    return ChildProcess.start(
        dir.resolve("store"), mode, count, dir.resolve("child-" + mode + ".err"));
  }

  private RocksRecordStore reopen() {
    return RocksRecordStore.open(
        dir.resolve("store"), TestHashes.MIXED, RocksStoreOptions.DEFAULTS);
  }

  @Test
  void everyAcknowledgedBatchSurvivesSigkillAndTheNodeTakesANewIncarnation() throws Exception {
    ChildProcess first = start("clean", 20);
    String firstIdentity = first.identityLine();
    first.rest();
    assertThat(first.process().waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(first.process().exitValue()).as(stderr("clean")).isZero();

    ChildProcess child = start("run", 1_000_000);
    String killedIdentity = child.identityLine();
    assertThat(killedIdentity)
        .as("a clean close keeps the incarnation")
        .isEqualTo(firstIdentity.replace(" FRESH", " KEPT"));
    List<Long> acks = child.killAfterAcks(300);

    try (RocksRecordStore store = reopen()) {
      assertThat(store.priorShutdown()).isEqualTo(PriorShutdown.UNCLEAN);
      Identity identity =
          Identity.open(store, KillChild.NODE, InstantSource.system(), new SplittableRandom(1));
      assertThat(identity.reason()).isEqualTo(Identity.Reason.UNCLEAN);
      assertThat(identity.generation()).isEqualTo(2);
      String killedHex = killedIdentity.split(" ")[1];
      assertThat(Long.toHexString(identity.incarnation())).isNotEqualTo(killedHex);
      Origin killed = new Origin(KillChild.NODE, Long.parseUnsignedLong(killedHex, 16));
      long head = store.logBounds(killed).head();
      for (long seq : acks) {
        assertThat(store.get(KillChild.key(killed, seq)))
            .as("acknowledged record %d", seq)
            .hasValueSatisfying(v -> assertThat(v).isEqualTo(KillChild.payload(seq)));
        assertThat(store.readLog(killed, seq, 1, 1))
            .as("acknowledged log entry %d", seq)
            .containsExactly(new LogEntry(seq, KillChild.payload(seq)));
      }
      // Batches are whole: as many records as log entries (20 from the first run), cursor at head.
      assertThat(head).isGreaterThanOrEqualTo(acks.get(acks.size() - 1));
      assertThat(store.keyCount()).isEqualTo(head);
      assertThat(store.cursor(KillChild.PEER)).isEqualTo(head);
      store.close();
      try (RocksRecordStore again = reopen()) {
        Identity kept =
            Identity.open(again, KillChild.NODE, InstantSource.system(), new SplittableRandom(2));
        assertThat(kept.reason()).isEqualTo(Identity.Reason.KEPT);
        assertThat(kept.incarnation()).isEqualTo(identity.incarnation());
      }
    }
  }

  private String stderr(String mode) {
    try {
      return Files.readString(dir.resolve("child-" + mode + ".err"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
