package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.peer.PeerMessage;
import org.junit.jupiter.api.Test;

/** Replicas wired by the in-test network: the log delivers writes, anti-entropy repairs the rest. */
class ReplicationTest {

  private static Command.Increment incr(String key, long n) {
    return new Command.Increment(Bytes.utf8(key), n);
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
    }
    assertThat(c.converged()).isTrue();
    assertThat(c.node("a").status().antiEntropy().keysRepaired()).isZero();
    assertThat(c.messages(PeerMessage.ReplicateBatch.class)).isPositive();
  }
}
