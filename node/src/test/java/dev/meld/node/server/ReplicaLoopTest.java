package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import dev.meld.node.DrainStatus;
import dev.meld.node.Replica;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.store.RecordStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ReplicaLoopTest {

  private static final Bytes KEY = Bytes.utf8("k");

  @Test
  void commandsQueuedTogetherAreCommittedAsOneGroup() {
    try (LoopCluster c = new LoopCluster("a")) {
      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        replies.add(c.loop("a").execute(new Command.Increment(KEY, 1)));
      }
      c.start();
      for (int i = 0; i < 100; i++) {
        assertThat(((Reply.Int) replies.get(i).join()).value()).isEqualTo(i + 1);
      }
      assertThat(c.groups).containsExactly(100);
    }
  }

  @Test
  void aWakeUpAskedForByAReplyIsMadeOnceTheWholeGroupIsComplete() {
    try (LoopCluster c = new LoopCluster("a")) {
      CompletableFuture<Reply> first = c.loop("a").execute(new Command.Increment(KEY, 1));
      CompletableFuture<Reply> last = c.loop("a").execute(new Command.Increment(KEY, 1));
      CompletableFuture<Boolean> lastDoneAtWakeUp = new CompletableFuture<>();
      first.whenComplete((r, e) -> GroupWakeups.wake(() -> lastDoneAtWakeUp.complete(last.isDone())));

      c.start();

      assertThat(lastDoneAtWakeUp.join()).isTrue();
      assertThat(c.groups).containsExactly(2);
    }
  }

  @Test
  void aReplyCallbackThatThrowsDoesNotStopTheReplicaThread() {
    try (LoopCluster c = new LoopCluster("a")) {
      List<Reply> seen = new CopyOnWriteArrayList<>();
      c.loop("a").execute(new Command.Increment(KEY, 1), (r, e) -> {
        seen.add(r);
        throw new IllegalStateException("a broken callback");
      });
      CompletableFuture<Reply> after = c.loop("a").execute(new Command.Increment(KEY, 1));

      c.start();

      assertThat(((Reply.Int) after.join()).value()).isEqualTo(2);
      assertThat(seen).hasSize(1);
      assertThat(((Reply.Int) c.loop("a").execute(new Command.Increment(KEY, 1)).join()).value())
          .isEqualTo(3); // a later group still runs
    }
  }

  @Test
  void aGroupNeverExceedsTheConfiguredMaximum() {
    try (LoopCluster c = new LoopCluster(b -> b.groupCommitMax(8), "a")) {
      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        replies.add(c.loop("a").execute(new Command.Increment(KEY, 1)));
      }
      c.start();
      replies.forEach(CompletableFuture::join);
      assertThat(c.groups).containsExactly(8, 8, 4);
    }
  }

  @Test
  void commandsFromOneThreadRunInTheOrderGiven() {
    try (LoopCluster c = new LoopCluster("a").start()) {
      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        replies.add(c.loop("a").execute(new Command.Increment(KEY, 1)));
      }
      for (int i = 0; i < 1_000; i++) {
        assertThat(((Reply.Int) replies.get(i).join()).value()).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void aFullQueueRefusesWithTheLimitInTheMessage() {
    try (LoopCluster c = new LoopCluster(b -> b.commandQueueLimit(2), "a")) {
      c.loop("a").execute(new Command.CounterGet(KEY));
      c.loop("a").execute(new Command.CounterGet(KEY));
      CompletableFuture<Reply> third = c.loop("a").execute(new Command.CounterGet(KEY));
      assertThatThrownBy(third::join)
          .hasCauseInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining("queued commands: 2 (expected: < 2)");
    }
  }

  @Test
  void stoppingFailsQueuedAndLaterCommands() {
    LoopCluster c = new LoopCluster("a");
    CompletableFuture<Reply> queued = c.loop("a").execute(new Command.Increment(KEY, 1));
    c.close(); // never started: the queue is refused and the replica closed
    assertThatThrownBy(queued::join)
        .isInstanceOf(CompletionException.class)
        .hasMessageContaining("shutting down");
    assertThatThrownBy(() -> c.loop("a").execute(new Command.CounterGet(KEY)).join())
        .hasMessageContaining("shutting down");
  }

  @Test
  void waitForNoReplicasAnswersAtOnce() {
    try (LoopCluster c = new LoopCluster("a", "b").start()) {
      long seq = c.exec("a", new Command.Increment(KEY, 1)).seq();
      long began = System.nanoTime();
      int acked = c.loop("a").waitForReplicas(seq, 0, 5_000).orTimeout(5, TimeUnit.SECONDS).join();
      assertThat(acked).isBetween(0, 1);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(2_000);
    }
  }

  @Test
  void waitCompletesWhenThePeerAcknowledges() {
    try (LoopCluster c = new LoopCluster("a", "b").start()) {
      long seq = c.exec("a", new Command.Increment(KEY, 1)).seq();
      int acked = c.loop("a").waitForReplicas(seq, 1, 10_000).orTimeout(10, TimeUnit.SECONDS).join();
      assertThat(acked).isEqualTo(1);
    }
  }

  @Test
  void waitTimesOutWithTheCountReached() {
    try (LoopCluster c = new LoopCluster("a", "b")) {
      c.drop = (from, m) -> true; // b never hears a
      c.start();
      long seq = c.exec("a", new Command.Increment(KEY, 1)).seq();
      long began = System.nanoTime();
      int acked = c.loop("a").waitForReplicas(seq, 1, 300).orTimeout(5, TimeUnit.SECONDS).join();
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertThat(acked).isZero();
      assertThat(took).isBetween(250L, 3_000L);
    }
  }

  @Test
  void aNegativeWaitTimeoutIsRefused() {
    try (LoopCluster c = new LoopCluster("a").start()) {
      assertThatThrownBy(() -> c.loop("a").waitForReplicas(1, 1, -1).join())
          .hasMessageContaining("timeout: -1 ms (expected: >= 0)");
    }
  }

  @Test
  void aDrainRefusesWritesAndCompletesWhenThePeerHasEverything() {
    try (LoopCluster c = new LoopCluster("a", "b").start()) {
      c.exec("a", new Command.Increment(KEY, 5));
      DrainStatus drain = c.loop("a").drain(10_000).orTimeout(15, TimeUnit.SECONDS).join();
      assertThat(drain.state()).isEqualTo(DrainStatus.State.COMPLETED);
      assertThat(c.exec("a", new Command.Increment(KEY, 1)))
          .isInstanceOfSatisfying(
              Reply.Error.class, e -> assertThat(e.code()).isEqualTo(Reply.Code.READONLY));
      assertThat(c.counter("b", "k")).isEqualTo(5);
    }
  }

  @Test
  void aDrainTimesOutNamingALivePeerThatNeverSyncs() throws InterruptedException {
    try (LoopCluster c = new LoopCluster("a", "b")) {
      // b answers pings (so a sees it live) but its acks and sync messages never reach a; its
      // pongs still carry its cursor, so only the sync is missing at the deadline
      c.drop =
          (from, m) ->
              from.equals("b")
                  && (m instanceof PeerMessage.ReplicateAck || m instanceof PeerMessage.SyncEnvelope);
      c.start();
      c.exec("a", new Command.Increment(KEY, 5));
      LoopCluster.await(
          () -> c.loop("a").call(Replica::status).join().peer("b").orElseThrow().live(),
          5_000,
          "a sees b live");
      long began = System.nanoTime();
      DrainStatus drain = c.loop("a").drain(500).orTimeout(15, TimeUnit.SECONDS).join();
      assertThat(drain.state()).isEqualTo(DrainStatus.State.TIMED_OUT);
      assertThat(drain.peersMissingSync()).containsExactly("b");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isGreaterThanOrEqualTo(450);
    }
  }

  /*
   * Pipelined SADDs once made one group of client commands hold the replica thread for seconds:
   * the peers' pings waited behind it, no tick sent this node's own, and under redis-benchmark
   * the peers of a 3-node cluster saw each other dead. Here each command costs at least 1 ms (a
   * slow store read), so 3,000 of them in one group would take 3 s, three peer-dead timeouts.
   */
  @Test
  void aLongGroupOfCommandsDoesNotStarveTicksOrPeerMessages() throws InterruptedException {
    UnaryOperator<RecordStore> slow = store -> slowReads(store, "slow:", 1);
    try (LoopCluster c =
        new LoopCluster(r -> r, b -> b.groupCommitMax(100_000), slow, "a", "b")) {
      AtomicBoolean watching = new AtomicBoolean();
      List<String> dead = new CopyOnWriteArrayList<>();
      for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
        c.loop(pair[0])
            .onStatus(
                s -> {
                  if (watching.get() && !s.peer(pair[1]).orElseThrow().live()) {
                    dead.add(pair[0] + " saw " + pair[1] + " dead");
                  }
                });
      }
      c.start();
      for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
        LoopCluster.await(
            () -> c.loop(pair[0]).call(Replica::status).join().peer(pair[1]).orElseThrow().live(),
            5_000,
            pair[0] + " sees " + pair[1] + " live");
      }
      watching.set(true);

      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        replies.add(c.loop("a").execute(new Command.Increment(Bytes.utf8("slow:" + i), 1)));
      }
      for (CompletableFuture<Reply> r : replies) {
        assertThat(((Reply.Int) r.orTimeout(60, TimeUnit.SECONDS).join()).value()).isEqualTo(1);
      }
      watching.set(false);

      assertThat(dead).isEmpty();
      assertThat(c.groups).as("groups cut at the turn budget").allMatch(g -> g <= 250);
    }
  }

  /** {@code store}, with every read of a key starting with {@code prefix} taking {@code millis}. */
  private static RecordStore slowReads(RecordStore store, String prefix, long millis) {
    return (RecordStore)
        Proxy.newProxyInstance(
            RecordStore.class.getClassLoader(),
            new Class<?>[] {RecordStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("get")
                  && new String((byte[]) args[0], StandardCharsets.UTF_8).startsWith(prefix)) {
                Thread.sleep(millis);
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aTurnBudgetIsAFifthOfThePeerDeadTimeoutAtMost200Ms() {
    assertThat(ReplicaLoop.turnBudgetNanos(10_000)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(ReplicaLoop.turnBudgetNanos(500)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
  }
}
