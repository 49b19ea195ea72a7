package dev.meld.node;

import static dev.meld.node.BigSets.SET;
import static dev.meld.node.BigSets.SMALL_MESSAGES;
import static dev.meld.node.BigSets.add;
import static dev.meld.node.BigSets.member;
import static dev.meld.node.BigSets.members;
import static dev.meld.node.BigSets.range;
import static dev.meld.node.BigSets.remove;
import static dev.meld.node.BigSets.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of a large set that differ in d members find which by the member sketch (coded
 * symbols, anti-entropy's {@code MemberSketches}) and swap exactly those members. Before, a digest
 * descent found them at 16 digests a level per differing segment, and both sessions (one started by
 * each side) repaired each difference: 20x to 70x the members' own bytes
 * (SetMembersBandwidthReport).
 */
class SetMembersRepairedBySketchTest {

  private static final int SIZE = 20_000;

  private static TestCluster twoReplicasOfTheSet() {
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    add(c.node("a"), 0, SIZE);
    c.runUntil(c::converged, 60_000, "b has the set");
    return c;
  }

  /** Pushes the set's entries out of both logs: only anti-entropy can repair them after this. */
  private static void trimLogs(TestCluster c) {
    for (String name : List.of("a", "b")) {
      List<Command> increments = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        increments.add(new Command.Increment(Bytes.utf8("other-" + name), 1));
      }
      run(c.node(name), increments);
    }
    c.run(2_000);
  }

  private static long bytesSent(TestCluster c) {
    return c.node("a").status().antiEntropy().bytesSent()
        + c.node("b").status().antiEntropy().bytesSent();
  }

  /**
   * Regression: 200 differing members (100 removed on a, 100 added on b) of a 20,000-member set
   * repair within a small multiple of their floor (the added members as stored and the removed
   * members' names), every session from the heal to equal roots counted, the two counters the log
   * trim wrote included. The descent took about 20x; the sketch 3.9x (13,959 bytes at de724c9).
   */
  @Test
  void differingMembersOfALargeSetRepairWithinAFewTimesTheirFloor() {
    TestCluster c = twoReplicasOfTheSet();
    c.drop = e -> true;
    remove(c.node("a"), 0, 100);
    add(c.node("b"), SIZE, SIZE + 100);
    long floor = 0;
    for (int i = 0; i < 100; i++) {
      floor += SetMembersBandwidthReport.pieceBytes(member(SIZE + i)) + member(i).length() + 1;
    }
    trimLogs(c);
    long before = bytesSent(c);
    c.drop = e -> false;

    c.runUntil(c::converged, 60_000, "convergence after the partition");

    Set<Bytes> expected = range(100, SIZE + 100);
    assertThat(members(c.node("a"))).isEqualTo(expected);
    assertThat(members(c.node("b"))).isEqualTo(expected);
    long sent = bytesSent(c) - before;
    System.out.printf(
        "sketch repair of 200 of %,d members: %,d bytes, floor %,d, %.1fx%n",
        SIZE, sent, floor, (double) sent / floor);
    assertThat(sent).as("anti-entropy bytes after the heal").isLessThan(8 * floor);
  }

  /**
   * Members that differ in every way the sketch must see: absent on one side, removed on one side
   * and re-added on the other (one element, other dots), added on both sides at once (one element,
   * each side's dot), removed on both. After the heal the roots are equal, the removed members are
   * gone on both, and the members both added carry both dots (a remove on either side later
   * removes them everywhere).
   */
  @Test
  void membersAndDotsDifferingOnBothSidesWithRemovesConverge() {
    TestCluster c = twoReplicasOfTheSet();
    c.drop = e -> true;
    remove(c.node("a"), 0, 10);
    add(c.node("a"), SIZE, SIZE + 10);
    remove(c.node("b"), 10, 20);
    add(c.node("b"), SIZE + 10, SIZE + 20);
    c.node("b").exec(new Command.SetAdd(SET, member(5))); // removed on a, re-added on b
    c.node("a").exec(new Command.SetAdd(SET, member(50_000))); // added on both: two dots
    c.node("b").exec(new Command.SetAdd(SET, member(50_000)));
    c.node("a").exec(new Command.SetRemove(SET, member(30))); // removed on both
    c.node("b").exec(new Command.SetRemove(SET, member(30)));
    trimLogs(c);
    long before = bytesSent(c);
    c.drop = e -> false;

    c.runUntil(c::converged, 60_000, "convergence after the partition");

    Set<Bytes> expected = range(20, SIZE + 20);
    expected.add(member(5));
    expected.add(member(50_000));
    expected.remove(member(30));
    assertThat(members(c.node("a"))).isEqualTo(expected);
    assertThat(members(c.node("b"))).isEqualTo(expected);
    assertThat(c.node("a").root()).isEqualTo(c.node("b").root());
    long sent = bytesSent(c) - before;
    System.out.printf("sketch repair of 43 differing members: %,d bytes%n", sent);
    // The descent took 18 KB for the like difference of SetMembersComparedOneByOneTest; the
    // sketch about 4.1 KB, most of it the sessions' fixed costs and the counters the trim wrote.
    assertThat(sent).as("anti-entropy bytes after the heal").isLessThan(8 * 1024);

    // Both dots of the member added on both sides arrived: one remove on b removes it on a too.
    c.node("b").exec(new Command.SetRemove(SET, member(50_000)));
    c.runUntil(c::converged, 60_000, "the remove replicated");
    assertThat(members(c.node("a"))).doesNotContain(member(50_000));
  }

  /**
   * A difference larger than the sketch may decode in one session (4,096 symbols, about 2,800
   * differing members) falls back to the digest descent and still converges, removes included.
   */
  @Test
  void aDifferenceBeyondTheSketchFallsBackToTheDescent() {
    TestCluster c = twoReplicasOfTheSet();
    c.drop = e -> true;
    remove(c.node("a"), 0, 1_600);
    add(c.node("b"), SIZE, SIZE + 1_600);
    trimLogs(c);
    c.drop = e -> false;

    c.runUntil(c::converged, 120_000, "convergence after the partition");

    Set<Bytes> expected = range(1_600, SIZE + 1_600);
    assertThat(members(c.node("a"))).isEqualTo(expected);
    assertThat(members(c.node("b"))).isEqualTo(expected);
    assertThat(c.node("a").root()).isEqualTo(c.node("b").root());
  }
}
