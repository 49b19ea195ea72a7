package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.SyncMessage;
import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.peer.PeerMessage;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Anti-entropy sessions over links that lose messages: what is lost is sent again. */
class SyncRetransmitTest {

  private static Command.Increment incr(String key, long n) {
    return new Command.Increment(Bytes.utf8(key), n);
  }

  /**
   * Simulator seed 1078 of {@code combined}: n4 was killed and restarted while every link dropped a
   * quarter of its messages, and ten seconds later it was still not ready. Readiness waits for a
   * completed session with every live peer, and a session had no retransmission: one lost message
   * stalled it until the session timeout aborted it, and the next attempt again needed every one of
   * its messages through. n4 lost every session with n3 for ten seconds (19 aborted). Here each
   * session message is lost the first time it is sent; before the fix no session could complete
   * and the restarted node was never ready.
   */
  @Test
  void aRestartedMemberWhoseEverySyncMessageIsLostOnceStillCatchesUpAndIsReady() {
    TestCluster c = TestCluster.of("a", "b");
    c.run(300);
    TestCluster.Node a = c.node("a");
    a.crash();
    c.node("b").exec(incr("k", 4)); // written while a was down
    c.drop = firstCopyOf(m -> true);
    a.start();
    c.runUntil(() -> a.status().ready(), 3_000, "readiness over a link losing every first copy");
    assertThat(a.counter("k")).isEqualTo(4);
    assertThat(a.status().antiEntropy().completed()).isPositive();
  }

  /**
   * The side that sends a session's final round is done at once; if that round is lost, the other
   * side used to wait until its timeout aborted the session. Now it resends its last round, and the
   * finished side answers with the final round again, so both complete and nothing is aborted.
   */
  @Test
  void aLostFinalRoundIsSentAgainSoNeitherSideAborts() {
    TestCluster c = TestCluster.of("a", "b");
    c.drop = firstCopyOf(m -> m instanceof SyncMessage.Round r && r.last());
    c.node("a").exec(incr("x", 1));
    c.node("b").exec(incr("y", 1));
    c.run(4_000);
    for (TestCluster.Node n : c.nodes.values()) {
      ReplicaStatus.AntiEntropyStatus ae = n.status().antiEntropy();
      assertThat(ae.aborted()).as(n.name()).isZero();
      assertThat(ae.completed()).as(n.name()).isGreaterThanOrEqualTo(2);
    }
  }

  /**
   * The network may deliver a session message twice (or a resend may cross the answer). A round
   * already taken in used to abort the session as "stale"; it is dropped now, and the session
   * completes.
   */
  @Test
  void aDuplicatedSessionMessageDoesNotAbortItsSession() {
    TestCluster c = TestCluster.of("a", "b");
    c.duplicatePercent = 30;
    c.delayPercent = 50; // sessions span steps, so a copy can arrive mid-session
    for (int i = 0; i < 20; i++) {
      c.node("a").exec(incr("x" + i, 1));
      c.node("b").exec(incr("y" + i, 1));
      c.run(300);
    }
    c.run(2_000);
    for (TestCluster.Node n : c.nodes.values()) {
      assertThat(n.status().antiEntropy().aborted()).as(n.name()).isZero();
      assertThat(n.status().errors()).as(n.name()).doesNotContainKey("sync-bad-record");
    }
    assertThat(c.node("b").counter("x19")).isEqualTo(1);
    assertThat(c.node("a").counter("y19")).isEqualTo(1);
  }

  /** Drops the first copy of every session message {@code which} accepts; resends get through. */
  private static Predicate<TestCluster.Envelope> firstCopyOf(Predicate<SyncMessage> which) {
    Set<String> seen = new HashSet<>();
    return e -> {
      if (!(e.message() instanceof PeerMessage.SyncEnvelope env) || !which.test(env.message())) {
        return false;
      }
      SyncMessage m = env.message();
      String turn =
          m instanceof SyncMessage.Round r ? "r" + r.seq() : m.getClass().getSimpleName();
      return seen.add(e.from() + ">" + e.to() + " " + env.sessionId() + " " + turn);
    };
  }
}
