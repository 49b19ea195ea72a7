package dev.meld.node;

import static dev.meld.node.BigSets.SMALL_MESSAGES;
import static dev.meld.node.BigSets.add;
import static dev.meld.node.BigSets.member;
import static dev.meld.node.BigSets.members;
import static dev.meld.node.BigSets.range;
import static dev.meld.node.BigSets.remove;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.Set;
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

  private static final int SIZE = 20_000;

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

    assertThat(c.node("b").exec(new Command.SetSize(BigSets.SET))).isEqualTo(Reply.Int.of(SIZE));
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
    c.node("b").exec(new Command.SetAdd(BigSets.SET, member(5))); // re-added on b, removed on a: add wins
    c.drop = e -> false;

    c.runUntil(c::converged, 60_000, "convergence after the partition");

    Set<Bytes> expected = range(1_500, SIZE + 1_500);
    expected.add(member(5));
    assertThat(members(c.node("a"))).isEqualTo(expected);
    assertThat(members(c.node("b"))).isEqualTo(expected);
    assertThat(c.node("a").root()).isEqualTo(c.node("b").root());
  }
}
