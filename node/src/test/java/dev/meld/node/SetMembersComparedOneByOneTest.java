package dev.meld.node;

import static dev.meld.node.BigSets.SMALL_MESSAGES;
import static dev.meld.node.BigSets.add;
import static dev.meld.node.BigSets.member;
import static dev.meld.node.BigSets.range;
import static dev.meld.node.BigSets.remove;
import static dev.meld.node.BigSets.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of a large set that differ in a few members repair it by comparing members, not by
 * shipping the set ({@link SetMembersView}). Before, every session that found the set's digest
 * different shipped all of it in slices: 30,000 members, about a megabyte, for a difference of 41
 * members, and again every round while writes were in flight. The log is trimmed so that nothing
 * but anti-entropy can repair the difference.
 */
class SetMembersComparedOneByOneTest {

  private static final int SIZE = 30_000;

  /** Pushes the set's entries out of the log: only anti-entropy can repair them after this. */
  private static void trimLog(TestCluster.Node node) {
    List<Command> increments = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      increments.add(new Command.Increment(Bytes.utf8("other-" + node.name()), 1));
    }
    run(node, increments);
  }

  private static long bytesSent(TestCluster c) {
    return c.node("a").status().antiEntropy().bytesSent()
        + c.node("b").status().antiEntropy().bytesSent();
  }

  @Test
  void aFewDifferingMembersOfALargeSetRepairAsAFewMembersInBothDirections() {
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    add(c.node("a"), 0, SIZE);
    c.runUntil(c::converged, 60_000, "b has the set");

    c.drop = e -> true; // a partition
    remove(c.node("a"), 0, 10);
    add(c.node("a"), SIZE, SIZE + 10);
    remove(c.node("b"), 10, 20);
    add(c.node("b"), SIZE + 10, SIZE + 20);
    c.node("b").exec(new Command.SetAdd(BigSets.SET, member(5))); // removed on a, re-added on b: add wins
    trimLog(c.node("a"));
    trimLog(c.node("b"));
    c.run(2_000); // the log is trimmed on the replicas' ticks
    assertThat(c.node("a").status().log().trimmedThrough()).isGreaterThan(SIZE);
    long before = bytesSent(c);
    c.drop = e -> false;

    c.runUntil(c::converged, 60_000, "convergence after the partition");

    Set<Bytes> expected = range(20, SIZE + 20);
    expected.add(member(5));
    assertThat(new HashSet<>(c.node("a").members("big"))).isEqualTo(expected);
    assertThat(new HashSet<>(c.node("b").members("big"))).isEqualTo(expected);
    assertThat(c.node("a").root()).isEqualTo(c.node("b").root()); // contexts joined too
    long sent = bytesSent(c) - before;
    // 41 members differ, about 1.5 KB of them; the set is about 1 MB. Every session between heal
    // and convergence counts, whatever else it carried (the two counters).
    assertThat(sent).as("anti-entropy bytes after the heal").isLessThan(64 * 1024);
    System.out.printf(
        "anti-entropy bytes to repair 41 of %,d members: %,d (%s / %s)%n",
        SIZE, sent, c.node("a").status().antiEntropy(), c.node("b").status().antiEntropy());
  }

  @Test
  void membersAddedOnBothSidesWhileTheirComparisonRunsAreAllKept() {
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    add(c.node("a"), 0, 20_000);
    c.runUntil(c::converged, 60_000, "b has the set");

    c.drop = e -> true;
    remove(c.node("a"), 0, 10);
    remove(c.node("b"), 10, 20);
    trimLog(c.node("a"));
    trimLog(c.node("b"));
    c.run(2_000);
    c.drop = e -> false;

    // Writes on both sides every 50 ms while sessions compare the set, swap slices and guards: a
    // context joined while members differ would declare these adds seen and drop them.
    int next = 20_000;
    for (int step = 0; step < 200; step++) {
      add(c.node(step % 2 == 0 ? "a" : "b"), next, next + 3);
      next += 3;
      c.run(50);
    }
    c.runUntil(c::converged, 60_000, "convergence after the writes stop");

    Set<Bytes> expected = range(20, next);
    assertThat(new HashSet<>(c.node("a").members("big"))).isEqualTo(expected);
    assertThat(new HashSet<>(c.node("b").members("big"))).isEqualTo(expected);
  }

  /**
   * Regression (issue 16, scripts/big-set with 3M members): when one side held far fewer members,
   * both shipped their whole set, and a wiped replica spent its replica thread building slices of
   * its partial copy for both peers instead of merging theirs; sessions timed out. Now only the
   * side with more ships whole; what the other alone holds goes once the counts are close.
   */
  @Test
  void onlyTheSideWithMoreMembersShipsALopsidedSetWhole() {
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    c.drop = e -> true;
    add(c.node("a"), 0, SIZE);
    add(c.node("b"), SIZE, SIZE + 3_500); // under an eighth of a's, and all b's own
    trimLog(c.node("a"));
    trimLog(c.node("b"));
    c.run(2_000);
    long bBefore = c.node("b").status().antiEntropy().bytesSent();
    c.drop = e -> false;

    c.runUntil(
        () -> c.node("b").members("big").size() >= SIZE, 60_000, "a's members on b, shipped whole");
    long bSent = c.node("b").status().antiEntropy().bytesSent() - bBefore;
    // b's own 3,500 members are about 100 KB; shipped whole, they went in every session.
    assertThat(bSent).as("anti-entropy bytes b sent while a's set came").isLessThan(32 * 1024);

    c.runUntil(c::converged, 60_000, "convergence");
    Set<Bytes> expected = range(0, SIZE + 3_500);
    assertThat(new HashSet<>(c.node("a").members("big"))).isEqualTo(expected);
    assertThat(new HashSet<>(c.node("b").members("big"))).isEqualTo(expected);
  }
}
