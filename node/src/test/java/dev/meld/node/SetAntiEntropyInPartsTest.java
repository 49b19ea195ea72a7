package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.SyncConfig;
import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy repairs a set larger than any sync message, shipped as slices and a commit
 * ({@link SetSlice}). Before sets were kept in pieces, a set stopped at the record limit; in pieces
 * it has none, and a set too large to ship whole was skipped by every session: a replica that
 * missed part of its log never got it. Here messages hold 256 KiB and a set is shipped whole only
 * up to 2,048 members, so the 20,000-member sets below (about 600 KB) go in parts, with the log
 * trimmed so that nothing but anti-entropy can repair them.
 */
class SetAntiEntropyInPartsTest {

  private static final Bytes SET = Bytes.utf8("big");
  private static final int SIZE = 20_000;

  private static final UnaryOperator<ReplicaConfig.Builder> SMALL_MESSAGES =
      b ->
          b.maxRecordBytes(64 * 1024)
              .syncConfig(SyncConfig.DEFAULT.withMaxMessageBytes(256 * 1024))
              .logRetentionEntries(100);

  private static Bytes member(int i) {
    return Bytes.utf8("member-" + i);
  }

  private static void add(TestCluster.Node node, int from, int to) {
    for (int start = from; start < to; start += 2_000) {
      List<Command> adds = new ArrayList<>();
      for (int i = start; i < Math.min(to, start + 2_000); i++) {
        adds.add(new Command.SetAdd(SET, member(i)));
      }
      node.replica.executeAll(adds, node.outbox);
    }
  }

  private static void remove(TestCluster.Node node, int from, int to) {
    List<Command> removes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      removes.add(new Command.SetRemove(SET, member(i)));
    }
    node.replica.executeAll(removes, node.outbox);
  }

  private static Set<Bytes> members(TestCluster.Node node) {
    return new HashSet<>(node.members("big"));
  }

  private static Set<Bytes> range(int from, int to) {
    Set<Bytes> out = new HashSet<>();
    for (int i = from; i < to; i++) {
      out.add(member(i));
    }
    return out;
  }

  @Test
  void aWipedReplicaGetsAHugeSetBackInParts() {
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    c.node("b").stop();
    add(c.node("a"), 0, SIZE);
    c.node("b").wipe();
    c.node("b").start();

    c.runUntil(c::converged, 60_000, "convergence after a wipe");

    assertThat(c.node("b").exec(new Command.SetSize(SET))).isEqualTo(Reply.Int.of(SIZE));
    assertThat(members(c.node("b"))).isEqualTo(range(0, SIZE));
    assertThat(c.node("b").root()).isEqualTo(c.node("a").root());
  }

  @Test
  void removesAndAddsOnBothSidesOfAPartitionConvergeThroughParts() {
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    add(c.node("a"), 0, SIZE);
    c.runUntil(() -> members(c.node("b")).size() == SIZE, 60_000, "b has the set");

    c.drop = e -> true; // a partition
    remove(c.node("a"), 0, 1_000); // seen by a only
    add(c.node("a"), SIZE, SIZE + 1_000);
    remove(c.node("b"), 1_000, 1_500);
    add(c.node("b"), SIZE + 1_000, SIZE + 1_500);
    c.node("b").exec(new Command.SetAdd(SET, member(5))); // re-added on b, removed on a: add wins
    c.drop = e -> false;

    c.runUntil(c::converged, 60_000, "convergence after the partition");

    Set<Bytes> expected = range(1_500, SIZE + 1_500);
    expected.add(member(5));
    assertThat(members(c.node("a"))).isEqualTo(expected);
    assertThat(members(c.node("b"))).isEqualTo(expected);
    assertThat(c.node("a").root()).isEqualTo(c.node("b").root());
  }
}
