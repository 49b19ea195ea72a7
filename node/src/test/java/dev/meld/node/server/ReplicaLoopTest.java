package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import dev.meld.node.DrainStatus;
import dev.meld.node.Replica;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
}
