package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.Misbehavior;
import dev.meld.node.command.Command;
import dev.meld.node.peer.PeerMessage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The mesh drops a message when a peer's queue is full; the replica's pump must send the lost
 * batches again. Anti-entropy is switched off here, so only the log can deliver the writes.
 */
class PumpRetransmitTest {

  @Test
  void batchesDroppedOnTheWayAreSentAgain() throws Exception {
    AtomicInteger dropped = new AtomicInteger();
    try (LoopCluster c =
        new LoopCluster(r -> r.misbehave(Misbehavior.SKIP_ANTI_ENTROPY), s -> s, "a", "b")) {
      c.drop =
          (from, m) ->
              from.equals("a")
                  && m instanceof PeerMessage.ReplicateBatch
                  && dropped.getAndIncrement() < 5;
      c.start();
      for (int i = 0; i < 20; i++) {
        c.exec("a", new Command.Increment(Bytes.utf8("k"), 1));
      }
      LoopCluster.await(() -> c.counter("b", "k") == 20, 10_000, "b has all 20 increments");
      assertThat(dropped.get()).isGreaterThan(5);
    }
  }

  @Test
  void droppedAcksAreMadeGoodToo() throws Exception {
    AtomicInteger dropped = new AtomicInteger();
    try (LoopCluster c =
        new LoopCluster(r -> r.misbehave(Misbehavior.SKIP_ANTI_ENTROPY), s -> s, "a", "b")) {
      c.drop =
          (from, m) ->
              from.equals("b")
                  && m instanceof PeerMessage.ReplicateAck
                  && dropped.getAndIncrement() < 5;
      c.start();
      long seq = 0;
      for (int i = 0; i < 10; i++) {
        seq = c.exec("a", new Command.Increment(Bytes.utf8("k"), 1)).seq();
      }
      long last = seq;
      LoopCluster.await(
          () -> c.loop("a").waitForReplicas(last, 1, 100).join() == 1, 10_000, "a learns b's ack");
      assertThat(c.counter("b", "k")).isEqualTo(10);
    }
  }
}
