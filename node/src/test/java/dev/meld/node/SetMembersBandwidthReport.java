package dev.meld.node;

import static dev.meld.node.BigSets.SMALL_MESSAGES;
import static dev.meld.node.BigSets.add;
import static dev.meld.node.BigSets.member;
import static dev.meld.node.BigSets.members;
import static dev.meld.node.BigSets.remove;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The member-by-member bandwidth table in {@code node/README.md}: two replicas of one set of n
 * members that differ in d members (d/2 removed on a, d/2 added on b, on both sides of a partition,
 * with the log trimmed so that only anti-entropy repairs), healed; printed are the anti-entropy
 * bytes both sent from the heal until their roots match (every session, whatever else it carried),
 * the sessions that took, and the information floor: the d differing members as the store holds
 * them (element and dots). The set is shipped whole only up to 2,048 members (messages of 256
 * KiB), so every n here is compared member by member.
 *
 * <p>Not a test (its name matches no Surefire pattern, and it takes minutes). Run it with:
 *
 * <pre>
 * mvn -B -o -pl node verify -DskipITs -Djacoco.skip=true -Dtest=SetMembersBandwidthReport \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@Tag("report")
class SetMembersBandwidthReport {

  private static final int[] SIZES = {100_000, 1_000_000};
  private static final int[] DIFFS = {2, 10, 100, 1_000};

  @Test
  void report() {
    System.out.println("| n | d | bytes until roots match | sessions | bytes / d | floor | bytes / floor |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
    for (int n : SIZES) {
      TestCluster c = TestCluster.of(SMALL_MESSAGES, "a", "b");
      c.runUntil(
          () -> c.node("a").status().ready() && c.node("b").status().ready(), 10_000, "ready");
      add(c.node("a"), 0, n);
      c.runUntil(c::converged, 600_000, "b has the set");
      int next = n;
      int removed = 0;
      for (int d : DIFFS) {
        c.drop = e -> true;
        remove(c.node("a"), removed, removed + d / 2);
        add(c.node("b"), next, next + d / 2);
        long floor = 0;
        for (int i = next; i < next + d / 2; i++) {
          floor += pieceBytes(member(i)); // absent on a: all of it is news there
        }
        floor += (long) (d / 2) * (member(removed).length() + 1); // a remove: which member
        removed += d / 2;
        next += d / 2;
        trimLog(c, d);
        long bytes = sent(c);
        long sessions = sessions(c);
        c.drop = e -> false;
        c.runUntil(c::converged, 600_000, "convergence, d = " + d);
        assertThat(members(c.node("a"))).isEqualTo(members(c.node("b")));
        bytes = sent(c) - bytes;
        sessions = sessions(c) - sessions;
        System.out.printf(
            "| %,d | %,d | %,d | %d | %,d | %,d | %.1f |%n",
            n, d, bytes, sessions, bytes / d, floor, (double) bytes / floor);
      }
    }
  }

  /** A member's bytes as the store keeps it: element and its dots. */
  static long pieceBytes(Bytes element) {
    return element.length() + 14; // one dot: count, replica (name "b", incarnation), counter
  }

  private static void trimLog(TestCluster c, int d) {
    for (String name : List.of("a", "b")) {
      List<Command> increments = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        increments.add(new Command.Increment(Bytes.utf8("other-" + name), 1));
      }
      BigSets.run(c.node(name), increments);
    }
    c.run(2_000);
  }

  private static long sent(TestCluster c) {
    return c.node("a").status().antiEntropy().bytesSent()
        + c.node("b").status().antiEntropy().bytesSent();
  }

  private static long sessions(TestCluster c) {
    return c.node("a").status().antiEntropy().completed()
        + c.node("b").status().antiEntropy().completed();
  }
}
