package dev.meld.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenariosTest {

  @Test
  void everyScenarioTheIssueAsksForExists() {
    assertThat(Scenarios.all())
        .extracting(Scenario::name)
        .contains(
            "crash_restart",
            "freeze_thaw",
            "rolling_churn",
            "partition_divergence",
            "partition_no_resurrect",
            "bridge_partition",
            "majority_ring",
            "slow_peer",
            "lossy_link",
            "clock_bump",
            "clock_strobe",
            "wipe_replace",
            "membership_churn",
            "combined");
  }

  @Test
  void suitesAndListsSelectEachScenarioOnceInTheOrderNamed() {
    assertThat(Scenarios.select(List.of("smoke")))
        .extracting(Scenario::name)
        .containsExactly("crash_restart", "partition_divergence", "partition_no_resurrect", "clock_bump");
    assertThat(Scenarios.select(List.of("clock_bump,crash_restart", "smoke")))
        .extracting(Scenario::name)
        .containsExactly("clock_bump", "crash_restart", "partition_divergence", "partition_no_resurrect");
    assertThat(Scenarios.select(List.of("all"))).hasSameSizeAs(Scenarios.all());
  }

  @Test
  void theContainerSuiteIsTheFiveScenariosIssueSevenAsksFor() {
    assertThat(Scenarios.select(List.of("docker-default")))
        .extracting(Scenario::name)
        .containsExactly(
            "crash_restart", "partition_divergence", "partition_no_resurrect", "bridge_partition", "clock_bump");
  }

  @Test
  void anUnknownNameSaysWhatIsKnown() {
    assertThatThrownBy(() -> Scenarios.select(List.of("crash")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scenario: \"crash\" (expected: one of crash_restart, ")
        .hasMessageContaining("or a suite: all, default, smoke");
  }

  @Test
  void aTimeLimitKeepsAtMostAFifthForWarmUp() {
    Scenario s = Scenarios.named("crash_restart").withWorkloadMillis(10_000);
    assertThat(s.warmUpMillis()).isEqualTo(2_000);
    assertThat(s.faultMillis()).isEqualTo(8_000);
    assertThat(Scenarios.named("crash_restart").withWorkloadMillis(60_000).warmUpMillis()).isEqualTo(2_000);
    assertThatThrownBy(() -> Scenarios.named("crash_restart").withWorkloadMillis(999))
        .hasMessage("time limit: 999 ms (expected: >= 1000 ms)");
  }

  @Test
  void partitionScenariosNeedingFiveNodesHaveThem() {
    for (String name : List.of("bridge_partition", "majority_ring", "combined")) {
      assertThat(Scenarios.named(name).nodes()).as(name).isEqualTo(5);
    }
  }
}
