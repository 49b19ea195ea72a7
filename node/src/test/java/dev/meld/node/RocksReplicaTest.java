package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.RocksRecordStore;
import dev.meld.node.store.RocksStoreOptions;
import dev.meld.node.store.StoreCrash;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica over RocksDB: what survives a clean restart and a killed process. */
class RocksReplicaTest {

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final Outbox out = (to, m) -> {};
  private final ReplicaConfig config = ReplicaConfig.builder("r").build();
  private RocksRecordStore store;

  private Replica open() {
    store = RocksRecordStore.open(dir, KeyHashing::keyHash64, RocksStoreOptions.DEFAULTS);
    return Replica.open(config, store, clock, new SplittableRandom(3));
  }

  private static Bytes b(String s) {
    return Bytes.utf8(s);
  }

  @Test
  void aCleanRestartKeepsTheIncarnationTheRecordsAndTheSequence() {
    Replica r = open();
    long incarnation = r.replicaId().incarnation();
    r.execute(new Command.Increment(b("c"), 4), out);
    r.execute(new Command.SetAdd(b("s"), b("e")), out);
    long head = r.status().headSeq();
    String root = r.status().rootDigest();
    r.close();
    Replica again = open();
    assertThat(again.replicaId().incarnation()).isEqualTo(incarnation);
    assertThat(again.status().headSeq()).isEqualTo(head);
    assertThat(again.status().rootDigest()).isEqualTo(root);
    assertThat(again.status().keyCount()).isEqualTo(2);
    assertThat(again.execute(new Command.Increment(b("c"), 1), out).seq()).isEqualTo(head + 1);
    again.close();
  }

  @Test
  void aKilledProcessRestartsUnderANewIncarnationWithEveryCommittedWrite() {
    Replica r = open();
    long incarnation = r.replicaId().incarnation();
    for (int i = 0; i < 100; i++) {
      r.execute(new Command.Increment(b("c"), 1), out);
    }
    StoreCrash.abandon(store); // no clean close
    Replica again = open();
    assertThat(again.replicaId().incarnation()).isNotEqualTo(incarnation);
    assertThat(((Reply.Int) again.execute(new Command.CounterGet(b("c")), out)).value())
        .isEqualTo(100);
    assertThat(again.status().headSeq()).isZero(); // a new origin's log, still empty
    assertThat(again.execute(new Command.Increment(b("c"), 1), out).seq()).isEqualTo(1);
    again.close();
  }

  @Test
  void aRestartedClockNeverRunsBackBehindAPersistedStamp() {
    Replica r = open();
    r.execute(new Command.RegisterSet(b("k"), b("before")), out);
    long stamp = r.status().hlcLast();
    r.close();
    clock.set(TestCluster.START - 3_600_000); // the wall clock stepped back an hour
    Replica again = open();
    again.execute(new Command.RegisterSet(b("k2"), b("x")), out);
    assertThat(again.status().hlcLast()).isGreaterThan(stamp);
    again.close();
  }
}
