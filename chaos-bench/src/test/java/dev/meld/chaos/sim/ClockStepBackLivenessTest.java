package dev.meld.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.report.FaultWindow;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.runner.RunSettings;
import dev.meld.chaos.scenario.Lane;
import dev.meld.chaos.scenario.Scenario;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression for a replica bug the bench found: a node whose wall clock stepped back kept counting
 * peers it no longer heard as live, for as long as the step, because {@code Peer.live} compared
 * {@code now - lastContactMillis} with the dead timeout on the wall clock (which libfaketime
 * moves). Seen on real nodes in {@code combined} (seed 3: n2's clock reset from +30 s, then a
 * partition; n2 still saw n3 and n4 live 20 s later, so the partition's verification failed) and
 * on the simulator in {@code combined} (17 of seeds 1..60). The replica now measures liveness on a
 * monotonic clock ({@code Replica.timerMillis}).
 *
 * <p>A node's clock is bumped (+30 s or -30 s) and reset, then the cluster is partitioned: the
 * partition must be verified by every receiver's view either way.
 */
class ClockStepBackLivenessTest {

  @TempDir Path out;

  // Real-node durations; the simulator runs them at a quarter: bump 0.5-1.5 s, partition at 3 s.
  private static final Scenario CLOCK_THEN_PARTITION =
      new Scenario(
          "clock_then_partition",
          "a clock bump and its reset, then a partition",
          "counter",
          3,
          List.of(Lane.of("clock-bump", 2_000, 4_000, 100_000), Lane.of("partition-halves", 12_000, 8_000, 100_000)),
          2_000,
          24_000);

  @Test
  void aNodeWhoseClockSteppedBackSeesItsCutPeersDead() throws Exception {
    SimRunner runner = new SimRunner(RunSettings.defaults(), List.of(), b -> b, true);
    int stepsBack = 0;
    int stepsForward = 0;
    for (long seed = 1; seed <= 6; seed++) {
      ScenarioResult r = runner.run(CLOCK_THEN_PARTITION, seed, out.resolve("s" + seed));
      FaultWindow clock = window(r, "clock");
      FaultWindow partition = window(r, "partition");
      long offset = ((Number) ((Map<?, ?>) clock.value()).get("offset-ms")).longValue();
      if (offset > 0) {
        stepsBack++;
        assertThat(partition.verified()).as("seed %d: +30 s then reset: %s", seed, partition.detail()).isTrue();
      } else {
        stepsForward++;
        assertThat(partition.verified()).as("seed %d: -30 s then reset: %s", seed, partition.detail()).isTrue();
      }
    }
    assertThat(stepsBack).isPositive();
    assertThat(stepsForward).isPositive();
  }

  private static FaultWindow window(ScenarioResult r, String kind) {
    return r.faults().stream().filter(w -> w.kind().equals(kind)).findFirst().orElseThrow();
  }
}
