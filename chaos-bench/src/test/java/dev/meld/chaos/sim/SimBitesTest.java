package dev.meld.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.runner.IncarnationWatch;
import dev.meld.chaos.runner.RunSettings;
import dev.meld.chaos.scenario.Scenarios;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench bites: with a deliberate replica bug switched on, the scenario that provokes it reports
 * the violation that bug must cause. Each tries seeds from 1 and stops at the first that shows it,
 * within a budget; the first seed is named in the comment (seeds are deterministic).
 */
class SimBitesTest {

  private static final int SEEDS = 20;

  @TempDir Path out;

  private ScenarioResult caught(
      String scenario, List<String> misbehaviors, String expected, Predicate<ScenarioResult> shows)
      throws Exception {
    SimRunner runner = new SimRunner(RunSettings.defaults(), misbehaviors, b -> b, false);
    for (long seed = 1; seed <= SEEDS; seed++) {
      ScenarioResult r = runner.run(Scenarios.named(scenario), seed, out);
      if (shows.test(r)) {
        assertThat(r.valid()).isEqualTo(Validity.FALSE);
        return r;
      }
    }
    return fail(misbehaviors + " + " + scenario + ": no seed in 1.." + SEEDS + " showed " + expected);
  }

  private static boolean invalid(ScenarioResult r, String checker) {
    return r.checks().containsKey(checker) && r.checks().get(checker).valid() == Validity.FALSE;
  }

  private static boolean diverged(ScenarioResult r) {
    return r.convergence() != null && !r.convergence().converged();
  }

  /** Acknowledged before the commit, then killed: acknowledged increments are gone (seed 1). */
  @Test
  void ackBeforeDurableWithCrashesLosesAcknowledgedIncrements() throws Exception {
    caught(
        "crash_restart",
        List.of("ACK_BEFORE_DURABLE"),
        "lost increments (pn-counter-final)",
        r -> invalid(r, "pn-counter-final"));
  }

  /** Batches acknowledged but dropped, and nothing to repair them: the nodes never converge. */
  @Test
  void droppedBatchesWithoutAntiEntropyNeverConverge() throws Exception {
    ScenarioResult r =
        caught(
            "partition_divergence",
            List.of("DROP_REPLICATION_BATCHES", "SKIP_ANTI_ENTROPY"),
            "non-convergence",
            SimBitesTest::diverged);
    assertThat(r.violations()).anyMatch(v -> v.startsWith("convergence: "));
  }

  /** What the log could not deliver across the bridge is never repaired: divergence (seed 1). */
  @Test
  void skippingAntiEntropyAcrossABridgeDiverges() throws Exception {
    caught("bridge_partition", List.of("SKIP_ANTI_ENTROPY"), "divergence", SimBitesTest::diverged);
  }

  /**
   * A crashed node restarts under a new incarnation and drops its old incarnation's log; only
   * anti-entropy delivers what that log still held, so without it the nodes diverge (seed 1).
   */
  @Test
  void skippingAntiEntropyAcrossCrashesDiverges() throws Exception {
    caught("crash_restart", List.of("SKIP_ANTI_ENTROPY"), "divergence", SimBitesTest::diverged);
  }

  /** A wiped node back under its old incarnation is seen (seed 1), and replication stalls. */
  @Test
  void reusingTheIncarnationAfterAWipeIsCaught() throws Exception {
    ScenarioResult r =
        caught(
            "wipe_replace",
            List.of("REUSE_INCARNATION"),
            "a reused incarnation",
            x -> invalid(x, IncarnationWatch.NAME));
    assertThat(r.checks().get(IncarnationWatch.NAME).toJson()).contains("under its old incarnation");
  }
}
