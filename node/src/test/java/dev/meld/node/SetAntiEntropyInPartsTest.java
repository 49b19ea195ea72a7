package dev.meld.node;

import static dev.meld.node.BigSets.SMALL_MESSAGES;
import static dev.meld.node.BigSets.add;
import static dev.meld.node.BigSets.member;
import static dev.meld.node.BigSets.members;
import static dev.meld.node.BigSets.range;
import static dev.meld.node.BigSets.remove;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.Part;
import dev.meld.antientropy.SyncMessage;
import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.peer.PeerMessage;
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

  /**
   * Regression (issue 16, scripts/big-set): slices merged before their shipment committed added a
   * dot per member to the receiver's context; shipments cut short by session timeouts left them
   * there as a cloud of millions, which every write of the set then re-encoded, and a replica
   * behind by 10M members stalled. Now those dots are pending (dot pieces the store holds anyway,
   * counted in the header), the header's context stays as it was, and the set still converges.
   */
  @Test
  void aShipmentCutShortDoesNotGrowTheReceiversContext() {
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b", "c");
    c.runUntil(
        () -> c.nodes.values().stream().allMatch(n -> n.status().ready()), 10_000, "ready");
    c.node("b").stop();
    c.node("c").stop();
    add(c.node("a"), 0, SIZE);
    c.node("b").wipe();
    c.node("b").start();
    c.node("c").wipe();
    c.node("c").start();
    // a ships to b until b holds half the set, then a's messages are lost: the shipment is cut
    // short before its commit. c hears from nobody, then only from b, which ships what it holds
    // pending.
    c.drop = e -> e.to().equals("c") || (e.from().equals("a") && halfOn(c.node("b")));
    c.runUntil(() -> halfOn(c.node("b")), 60_000, "half the set on b");
    c.drop = e -> e.from().equals("a");
    c.runUntil(() -> !members(c.node("c")).isEmpty(), 60_000, "b's members on c");

    SetHeader partial = header(c.node("b"));
    assertThat(partial.count()).isLessThan(SIZE);
    //PENDING // one dot each, none yet joined
    assertThat(partial.context().isEmpty()).as("b's context, before any commit").isTrue();

    c.drop = e -> false;
    c.runUntil(c::converged, 60_000, "convergence once messages flow");

    for (String name : new String[] {"b", "c"}) {
      SetHeader converged = header(c.node(name));
      assertThat(converged.pending()).as(name + "'s pending dots").isZero();
      assertThat(converged.context()).isEqualTo(header(c.node("a")).context());
      assertThat(members(c.node(name))).isEqualTo(range(0, SIZE));
    }
  }

  /**
   * Sessions cut short again and again while a set is shipped in parts (the link goes silent for
   * longer than a session waits): the set still arrives whole and ends with the contexts joined and
   * nothing pending. At this size the counts stop being lopsided after the first cut session, and
   * member comparison ships the rest, so this does not show a shipment going on across sessions:
   * {@link ShipmentResumesInTheNextSessionTest} does.
   */
  @Test
  void sessionsCutShortWhileASetShipsStillConvergeAndCommit() {
    int size = 60_000; // about 1.7 MB: some 8 slices of 256 KiB
    TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
    c.runUntil(
        () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
    c.node("b").stop();
    add(c.node("a"), 0, size);
    c.node("b").wipe();
    c.node("b").start();
    long sentBefore = c.node("a").status().antiEntropy().bytesSent();
    // After every third session message from a to b that carries records (slices), the link goes
    // silent for longer than a session waits (1 s here): no session ships the whole set.
    int[] messages = {0};
    long[] silentUntil = {0};
    c.drop =
        e -> {
          if (!e.from().equals("a") || !e.to().equals("b")) {
            return false;
          }
          long now = c.clock.monotonicMillis();
          if (now < silentUntil[0]) {
            return true;
          }
          if (e.message() instanceof PeerMessage.SyncEnvelope envelope
              && envelope.message() instanceof SyncMessage.Round round
              && round.parts().stream().anyMatch(p -> p instanceof Part.Records)
              && ++messages[0] % 3 == 0) {
            silentUntil[0] = now + 1_500;
          }
          return false;
        };

    c.runUntil(() -> count(c.node("b")) == size, 120_000, "the whole set on b");
    long shipped = c.node("a").status().antiEntropy().bytesSent() - sentBefore;
    c.drop = e -> false;
    c.runUntil(c::converged, 60_000, "convergence");

    assertThat(c.node("a").status().antiEntropy().aborted()).as("sessions cut short").isGreaterThan(2);
    // The set is about 1.4 MB: a bound on how much cut sessions may ship again.
    assertThat(shipped).as("bytes a sent until b held every member").isLessThan(3_000_000);
    SetHeader header = header(c.node("b"));
    assertThat(header.pending()).isZero();
    assertThat(header.context()).isEqualTo(header(c.node("a")).context());
    System.out.printf(
        "whole set of %,d members to a replica whose sessions were cut short: %,d bytes (%s)%n",
        size, shipped, c.node("a").status().antiEntropy());
  }

  private static boolean halfOn(TestCluster.Node node) {
    return count(node) >= SIZE / 2;
  }

  /** The set's member count as committed, read from its header: cheap enough for every step. */
  private static long count(TestCluster.Node node) {
    return node.store.get(BigSets.SET.toByteArray()).isPresent() ? header(node).count() : 0;
  }

  private static SetHeader header(TestCluster.Node node) {
    return SetHeader.decode(
        node.store.get(BigSets.SET.toByteArray()).orElseThrow(), dev.meld.crdt.DecodeLimits.DEFAULT);
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
