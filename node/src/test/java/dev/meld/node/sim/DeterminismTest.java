package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One seed is one run, event for event, whether traced or not. */
class DeterminismTest {

  /** Seeds covering both modes, wipes, joins, leaves, partitions and a lossy network. */
  private static final long[] SEEDS = {1, 6, 15, 331};

  @Test
  void theSameSeedGivesTheSameRunEventForEvent() {
    for (long seed : SEEDS) {
      List<String> first = new ArrayList<>();
      List<String> second = new ArrayList<>();
      SimResult a = Simulation.run(seed, Set.of(), Trace.to(first::add));
      SimResult b = Simulation.run(seed, Set.of(), Trace.to(second::add));
      assertThat(second).as("seed %d", seed).isEqualTo(first);
      assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
      assertThat(b.events()).isEqualTo(a.events());
      assertThat(b.ops()).isEqualTo(a.ops());
      assertThat(b.violations()).isEqualTo(a.violations());
    }
  }

  @Test
  void tracingDoesNotChangeTheRun() {
    for (long seed : SEEDS) {
      SimResult silent = Simulation.run(seed, Set.of(), Trace.silent());
      SimResult traced = Simulation.run(seed, Set.of(), Trace.to(line -> {}));
      assertThat(traced.fingerprint()).as("seed %d", seed).isEqualTo(silent.fingerprint());
    }
  }

  @Test
  void differentSeedsGiveDifferentRuns() {
    assertThat(Simulation.run(2, Set.of(), Trace.silent()).fingerprint())
        .isNotEqualTo(Simulation.run(3, Set.of(), Trace.silent()).fingerprint());
  }

  @Test
  void scenariosFollowTheirSeed() {
    assertThat(Scenario.of(42)).isEqualTo(Scenario.of(42));
    Set<Scenario.Mode> modes = new java.util.HashSet<>();
    for (long seed = 1; seed <= 40; seed++) {
      Scenario s = Scenario.of(seed);
      modes.add(s.mode());
      assertThat(s.nodes()).isBetween(3, 7);
    }
    assertThat(modes).containsExactlyInAnyOrder(Scenario.Mode.values());
  }
}
