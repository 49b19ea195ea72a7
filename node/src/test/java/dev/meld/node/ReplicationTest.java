package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.peer.PeerMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replicas wired by the in-test network: the log delivers writes, anti-entropy repairs the rest.
 */
class ReplicationTest {

  private static Command.Increment incr(String key, long n) {
    return new Command.Increment(Bytes.utf8(key), n);
  }

  private static long firstSeqSince(TestCluster c, int fromIndex, String from, String to) {
    return c.delivered.subList(fromIndex, c.delivered.size()).stream()
        .filter(e -> e.from().equals(from) && e.to().equals(to))
        .filter(e -> e.message() instanceof PeerMessage.ReplicateBatch)
        .mapToLong(e -> ((PeerMessage.ReplicateBatch) e.message()).firstSeq())
        .min()
        .orElse(-1);
  }

  @Test
  void writesConvergeByTheLogAlone() {
    // anti-entropy effectively off: only the log can deliver
    TestCluster c = TestCluster.of(b -> b.antiEntropyIntervalMillis(10_000_000), "a", "b", "c");
    c.run(300);
    c.node("a").exec(incr("x", 5));
    c.node("b").exec(incr("x", 7));
    c.node("c").exec(new Command.SetAdd(Bytes.utf8("s"), Bytes.utf8("e1")));
    c.run(200);
    for (TestCluster.Node n : c.nodes.values()) {
      assertThat(n.counter("x")).as(n.name()).isEqualTo(12);
      assertThat(n.members("s")).as(n.name()).containsExactly(Bytes.utf8("e1"));
      assertThat(n.status().peers()).allSatisfy(p -> assertThat(p.backlogEntries()).isZero());
    }
    assertThat(c.converged()).isTrue();
    assertThat(c.node("a").status().antiEntropy().keysRepaired()).isZero();
    assertThat(c.messages(PeerMessage.ReplicateBatch.class)).isPositive();
  }

  @Test
  void aDroppedBatchIsRepairedByAntiEntropy() {
    TestCluster c = TestCluster.of("a", "b");
    c.run(300);
    c.drop = e -> e.message() instanceof PeerMessage.ReplicateBatch;
    c.node("a").exec(incr("x", 3));
    c.run(300);
    assertThat(c.node("b").counter("x")).isZero();
    c.runUntil(() -> c.node("b").counter("x") == 3, 5_000, "anti-entropy repair");
    assertThat(c.node("b").status().antiEntropy().keysRepaired()).isPositive();
    assertThat(c.converged()).isTrue();
  }

  @Test
  void aRestartedReceiverResumesFromItsPersistedCursor() {
    TestCluster c = TestCluster.of(b -> b.antiEntropyIntervalMillis(10_000_000), "a", "b");
    c.run(300);
    for (int i = 0; i < 10; i++) {
      c.node("a").exec(incr("x", 1));
    }
    c.run(100);
    assertThat(c.node("a").status().peer("b").orElseThrow().ackedSeq()).isEqualTo(11);
    c.node("b").stop();
    for (int i = 0; i < 5; i++) {
      c.node("a").exec(incr("x", 1));
    }
    int mark = c.delivered.size();
    c.node("b").start();
    c.run(600);
    assertThat(c.node("b").counter("x")).isEqualTo(15);
    assertThat(firstSeqSince(c, mark, "a", "b")).isEqualTo(12); // not from 1
  }

  @Test
  void aRestartedSenderResumesFromThePeersCursor() {
    TestCluster c = TestCluster.of(b -> b.antiEntropyIntervalMillis(10_000_000), "a", "b");
    c.run(300);
    for (int i = 0; i < 10; i++) {
      c.node("a").exec(incr("x", 1));
    }
    c.run(100);
    c.node("a").stop();
    c.node("a").start();
    c.node("a").exec(incr("x", 1));
    int mark = c.delivered.size();
    c.run(600);
    assertThat(c.node("b").counter("x")).isEqualTo(11);
    assertThat(firstSeqSince(c, mark, "a", "b")).isEqualTo(12);
  }

  @Test
  void anUncleanStopTakesANewIncarnationAndACleanOneKeepsIt() {
    TestCluster c = TestCluster.of("a", "b");
    c.run(300);
    long first = c.node("a").replica.replicaId().incarnation();
    c.node("a").exec(incr("x", 2));
    c.run(100);
    c.node("a").stop();
    c.node("a").start();
    assertThat(c.node("a").replica.replicaId().incarnation()).isEqualTo(first);
    c.node("a").crash();
    c.node("a").start();
    long second = c.node("a").replica.replicaId().incarnation();
    assertThat(second).isNotEqualTo(first);
    // the new incarnation's increments are new slots: nothing is swallowed
    c.node("a").exec(incr("x", 1));
    c.run(600);
    assertThat(c.node("b").counter("x")).isEqualTo(3);
    assertThat(c.node("a").counter("x")).isEqualTo(3);
  }

  @Test
  void aPeerBehindTheRetainedLogIsToldAndRepairedByAntiEntropy() {
    TestCluster c =
        TestCluster.of(
            b -> b.logRetentionEntries(5).antiEntropyIntervalMillis(10_000_000), "a", "b");
    c.run(300);
    c.node("b").stop();
    for (int i = 0; i < 20; i++) {
      c.node("a").exec(incr("k" + i, 1));
    }
    c.run(100);
    assertThat(c.node("a").status().log().retainedEntries()).isLessThanOrEqualTo(5);
    c.node("b").start();
    c.runUntil(() -> c.node("b").counter("k0") == 1, 5_000, "repair of a trimmed entry");
    c.run(300);
    assertThat(c.messages(PeerMessage.LogGap.class)).isPositive();
    assertThat(c.node("b").status().antiEntropy().keysRepaired()).isGreaterThanOrEqualTo(20);
    ReplicaStatus.PeerStatus b = c.node("a").status().peer("b").orElseThrow();
    assertThat(b.ackedSeq()).isEqualTo(c.node("a").status().headSeq());
    // the log carries the next write again
    int mark = c.delivered.size();
    c.node("a").exec(incr("after", 1));
    c.run(100);
    assertThat(c.node("b").counter("after")).isEqualTo(1);
    assertThat(firstSeqSince(c, mark, "a", "b")).isEqualTo(c.node("a").status().headSeq());
  }

  @Test
  void aWipedPeerComesBackWithANewIncarnationAndCatchesUp() {
    TestCluster c = TestCluster.of("a", "b", "c");
    c.run(300);
    c.node("b").exec(incr("x", 4));
    c.node("a").exec(new Command.SetAdd(Bytes.utf8("s"), Bytes.utf8("e")));
    c.run(200);
    c.node("b").crash();
    c.node("b").wipe();
    c.node("b").start();
    c.node("b").exec(incr("x", 1));
    c.runUntil(c::converged, 10_000, "convergence after a wipe");
    for (TestCluster.Node n : c.nodes.values()) {
      assertThat(n.counter("x")).as(n.name()).isEqualTo(5);
      assertThat(n.members("s")).as(n.name()).containsExactly(Bytes.utf8("e"));
    }
  }

  @Test
  void aLossyDuplicatingNetworkStillConverges() {
    TestCluster c = TestCluster.of("a", "b", "c");
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    c.drop = e -> random.nextInt(100) < 30;
    c.run(300);
    for (int i = 0; i < 50; i++) {
      String node = List.of("a", "b", "c").get(i % 3);
      c.node(node).exec(incr("x", 1));
      c.node(node).exec(new Command.SetAdd(Bytes.utf8("s"), Bytes.utf8("e" + i)));
      c.step(10);
    }
    c.drop = e -> false;
    c.runUntil(c::converged, 20_000, "convergence after healing");
    for (TestCluster.Node n : c.nodes.values()) {
      assertThat(n.counter("x")).as(n.name()).isEqualTo(50);
      assertThat(n.members("s")).as(n.name()).hasSize(50);
    }
  }
}
