package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChangeTrackerTest {

  private static Bytes b(String s) {
    return Bytes.utf8(s);
  }

  @Test
  void aLocalWriteIsReportedAndAWriteThatChangesNothingIsNot() throws Exception {
    try (LoopCluster c = new LoopCluster("a").start()) {
      List<Bytes> seen = new CopyOnWriteArrayList<>();
      c.changes.get("a").subscribe(seen::add, Runnable::run);
      c.exec("a", new Command.SetAdd(b("s"), b("x")));
      c.exec("a", new Command.SetRemove(b("s"), b("y"))); // absent: nothing changes
      c.exec("a", new Command.SetMembers(b("s"))); // a read
      c.exec("a", new Command.Increment(b("n"), 2));
      assertThat(seen).containsExactly(b("s"), b("n"));
    }
  }

  @Test
  void aReplicatedWriteIsReportedOnThePeerAndInternalRecordsNeverAre() throws Exception {
    try (LoopCluster c = new LoopCluster("a", "b")) {
      List<Bytes> seen = new CopyOnWriteArrayList<>();
      c.changes.get("b").subscribe(seen::add, Runnable::run);
      c.start(); // the member records replicate now, while b listens
      c.exec("a", new Command.RegisterSet(b("r"), b("v")));
      LoopCluster.await(() -> seen.contains(b("r")), 5_000, "b reports r");
      Thread.sleep(300); // anti-entropy rounds run meanwhile; they repair nothing new
      assertThat(seen).containsExactly(b("r"));
    }
  }

  @Test
  void aClosedSubscriptionHearsNothingMore() throws Exception {
    try (LoopCluster c = new LoopCluster("a").start()) {
      List<Bytes> seen = new CopyOnWriteArrayList<>();
      AutoCloseable sub = c.changes.get("a").subscribe(seen::add, Runnable::run);
      c.exec("a", new Command.Increment(b("n"), 1));
      sub.close();
      c.exec("a", new Command.Increment(b("n"), 1));
      assertThat(seen).containsExactly(b("n"));
      assertThat(c.changes.get("a").active()).isFalse();
    }
  }

  @Test
  void aRejectingExecutorDoesNotStopTheReplicaThread() {
    try (LoopCluster c = new LoopCluster("a").start()) {
      c.changes.get("a").subscribe(k -> {}, r -> {
        throw new java.util.concurrent.RejectedExecutionException("full");
      });
      c.exec("a", new Command.Increment(b("n"), 1));
      assertThat(c.loop("a").execute(new Command.Increment(b("n"), 1)).orTimeout(5, TimeUnit.SECONDS).join().seq())
          .isPositive();
    }
  }

  @Test
  void everyWriteCommandNamesItsKeyAndReadsNone() {
    assertThat(ChangeTracker.writtenKey(new Command.CounterGet(b("k")))).isNull();
    assertThat(ChangeTracker.writtenKey(new Command.Delete(b("k")))).isEqualTo(b("k"));
    assertThat(ChangeTracker.writtenKey(new Command.SetClear(b("k")))).isEqualTo(b("k"));
    assertThat(ChangeTracker.writtenKey(new Command.KeyCount())).isNull();
  }
}
