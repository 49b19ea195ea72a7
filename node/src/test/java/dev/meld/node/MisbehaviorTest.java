package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each deliberate bug really produces the failure it names: the same scenario is run with the flag
 * off (correct) and on (broken), and the outcomes differ in the way the flag's name says. The
 * simulator shows the checkers catch each one; these show there is something to catch.
 */
class MisbehaviorTest {

  private static final Command INCR = new Command.Increment(Bytes.utf8("x"), 1);
  private static final long NO_ROUNDS = 10_000_000;

  private static TestCluster cluster(Set<Misbehavior> flags, long aeInterval, String... names) {
    UnaryOperator<ReplicaConfig.Builder> tweak =
        b -> b.misbehaviors(flags).antiEntropyIntervalMillis(aeInterval);
    TestCluster c = TestCluster.of(tweak, names);
    c.run(300);
    return c;
  }

  /** Acknowledges, crashes before the next tick, restarts: is the write still there? */
  private static long afterCrashBeforeTick(Set<Misbehavior> flags) {
    TestCluster c = cluster(flags, NO_ROUNDS, "a");
    Reply reply = c.node("a").exec(INCR);
    assertThat(reply).isInstanceOf(Reply.Int.class); // acknowledged either way
    c.node("a").crash();
    c.node("a").start();
    return c.node("a").counter("x");
  }

  @Test
  void ackBeforeDurableLosesAnAcknowledgedWriteInACrash() {
    assertThat(afterCrashBeforeTick(Set.of())).isEqualTo(1);
    assertThat(afterCrashBeforeTick(Set.of(Misbehavior.ACK_BEFORE_DURABLE))).isZero();
  }

  @Test
  void ackBeforeDurableStillCommitsAtTheNextTick() {
    TestCluster c = cluster(Set.of(Misbehavior.ACK_BEFORE_DURABLE), NO_ROUNDS, "a");
    c.node("a").exec(INCR);
    c.step(10);
    c.node("a").crash();
    c.node("a").start();
    assertThat(c.node("a").counter("x")).isEqualTo(1);
  }

  /** With rounds off, b is sent a's write: does b hold it, and did b acknowledge it? */
  private static long[] receiverAfterLog(Set<Misbehavior> flags) {
    TestCluster c = cluster(flags, NO_ROUNDS, "a", "b");
    c.node("a").exec(INCR);
    c.run(200);
    long acked = c.node("a").status().peer("b").orElseThrow().ackedSeq();
    return new long[] {c.node("b").counter("x"), acked, c.node("a").status().headSeq()};
  }

  @Test
  void dropReplicationBatchesAcknowledgesWithoutApplying() {
    long[] correct = receiverAfterLog(Set.of());
    assertThat(correct[0]).isEqualTo(1);
    long[] broken = receiverAfterLog(Set.of(Misbehavior.DROP_REPLICATION_BATCHES));
    assertThat(broken[0]).isZero();
    assertThat(broken[1]).isEqualTo(broken[2]); // yet the head is acknowledged
  }

  /** The log loses a's write; does anti-entropy bring it to b? */
  private static long afterLostBatch(Set<Misbehavior> flags) {
    TestCluster c = cluster(flags, 500, "a", "b");
    c.drop = e -> e.message() instanceof PeerMessage.ReplicateBatch;
    c.node("a").exec(INCR);
    c.run(5_000);
    return c.node("b").counter("x");
  }

  @Test
  void skipAntiEntropyNeverRepairs() {
    assertThat(afterLostBatch(Set.of())).isEqualTo(1);
    assertThat(afterLostBatch(Set.of(Misbehavior.SKIP_ANTI_ENTROPY))).isZero();
  }

  /** a counts to 5, is wiped, counts once more; what do the replicas converge to? */
  private static long afterWipe(Set<Misbehavior> flags) {
    TestCluster c = cluster(flags, 500, "a", "b");
    for (int i = 0; i < 5; i++) {
      c.node("a").exec(INCR);
    }
    c.run(200);
    c.node("a").crash();
    c.node("a").wipe();
    c.node("a").start();
    c.node("a").exec(INCR);
    c.runUntil(c::converged, 10_000, "convergence");
    return c.node("b").counter("x");
  }

  @Test
  void reuseIncarnationSwallowsWritesMadeAfterAWipe() {
    assertThat(afterWipe(Set.of())).isEqualTo(6);
    assertThat(afterWipe(Set.of(Misbehavior.REUSE_INCARNATION))).isEqualTo(5);
  }

  /** a creates the counter; b increments it; with rounds off, does a see b's increment? */
  private static long afterIncrementOfAPeersRecord(Set<Misbehavior> flags) {
    TestCluster c = cluster(flags, NO_ROUNDS, "a", "b");
    c.node("a").exec(INCR);
    c.run(200);
    c.node("b").exec(INCR);
    c.run(500);
    return c.node("a").counter("x");
  }

  @Test
  void attributeByRecordOriginLosesTheWriteFromTheLog() {
    assertThat(afterIncrementOfAPeersRecord(Set.of())).isEqualTo(2);
    assertThat(afterIncrementOfAPeersRecord(Set.of(Misbehavior.ATTRIBUTE_BY_RECORD_ORIGIN)))
        .isEqualTo(1);
  }
}
