package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.Misbehavior;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulation can fail: with each deliberate bug of {@link Misbehavior} switched on, some seed
 * of the default budget (500 seeds, {@code meld.sim.seeds}) fails with the kind of violation that
 * bug must cause. Each test stops at the first such seed and prints it.
 */
class MisbehaviorDetectionTest {

  private static void caught(Misbehavior bug, Violation.Kind... expected) {
    Set<Violation.Kind> kinds = EnumSet.of(expected[0], expected);
    long budget = Long.getLong("meld.sim.seeds", 500);
    int threads = Runtime.getRuntime().availableProcessors();
    SeedRunner.Summary summary =
        SeedRunner.run(
            1,
            budget,
            Set.of(bug),
            threads,
            r -> r.violations().stream().anyMatch(v -> kinds.contains(v.kind())));
    SimResult found =
        summary.failures().stream()
            .filter(r -> r.violations().stream().anyMatch(v -> kinds.contains(v.kind())))
            .findFirst()
            .orElse(null);
    assertThat(found).as("%s caught as one of %s within %d seeds", bug, kinds, budget).isNotNull();
    System.out.printf(
        "%s caught by seed %d after %d seeds: %s%n",
        bug,
        found.scenario().seed(),
        summary.seeds(),
        found.violations().stream()
            .filter(v -> kinds.contains(v.kind()))
            .findFirst()
            .orElseThrow());
  }

  @Test
  void anAckBeforeTheCommitLosesAcknowledgedWritesInACrash() {
    caught(
        Misbehavior.ACK_BEFORE_DURABLE, Violation.Kind.COUNTER_OUT_OF_BOUNDS, Violation.Kind.LOST);
  }

  @Test
  void droppedReplicationBatchesLoseWritesOrDiverge() {
    caught(
        Misbehavior.DROP_REPLICATION_BATCHES,
        Violation.Kind.DIVERGED,
        Violation.Kind.LOST,
        Violation.Kind.COUNTER_OUT_OF_BOUNDS);
  }

  @Test
  void withoutAntiEntropyWhatTheLogCannotRepairDiverges() {
    caught(Misbehavior.SKIP_ANTI_ENTROPY, Violation.Kind.DIVERGED, Violation.Kind.LOST);
  }

  @Test
  void aReusedIncarnationAfterAWipeSwallowsNewWrites() {
    caught(
        Misbehavior.REUSE_INCARNATION, Violation.Kind.COUNTER_OUT_OF_BOUNDS, Violation.Kind.LOST);
  }

  @Test
  void aReusedIncarnationIsSeenAtTheRestartItself() {
    caught(Misbehavior.REUSE_INCARNATION, Violation.Kind.INCARNATION_REUSED);
  }

  @Test
  void entriesAttributedToTheRecordsOriginNeverShipAndDiverge() {
    caught(
        Misbehavior.ATTRIBUTE_BY_RECORD_ORIGIN,
        Violation.Kind.DIVERGED,
        Violation.Kind.LOST,
        Violation.Kind.COUNTER_OUT_OF_BOUNDS);
  }
}
