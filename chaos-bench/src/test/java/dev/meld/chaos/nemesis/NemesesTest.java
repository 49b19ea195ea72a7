package dev.meld.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.cluster.FaultReceipt.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Nemeses pick targets from the seed, undo exactly what they did, and name their ops for reports.
 */
class NemesesTest {

  private final RecordingCluster cluster = new RecordingCluster("n1", "n2", "n3");

  @Test
  void killIsUndoneByARestartOfTheSameNode() {
    Nemesis kill = Nemeses.named("kill");
    NemesisEvent start = kill.start(cluster, new Random(3));
    NemesisEvent stop = kill.stop(cluster);

    String victim = start.targets().get(0);
    assertThat(cluster.calls).containsExactly("kill " + victim, "restart " + victim);
    assertThat(start.f()).isEqualTo("kill");
    assertThat(stop.f()).isEqualTo("start");
    assertThat(stop.targets()).containsExactly(victim);
    assertThat(kill.stop(cluster).receipts()).isEmpty();
  }

  @Test
  void theSameSeedPicksTheSameTargets() {
    for (String name : Nemeses.names()) {
      if (name.equals("clock-strobe")) {
        continue; // runs for seconds; its choice is the same code as clock-bump's
      }
      if (name.equals("backup") || name.equals("restore")) {
        continue; // no seeded choice: they act only where a step aims them (AimedNemesesTest)
      }
      List<Object> values = new ArrayList<>();
      for (int run = 0; run < 2; run++) {
        Nemesis nemesis = Nemeses.named(name);
        values.add(
            nemesis
                .start(new RecordingCluster("n1", "n2", "n3", "n4", "n5"), new Random(42))
                .value());
      }
      assertThat(values.get(1)).as(name).isEqualTo(values.get(0));
    }
  }

  @Test
  void rollingTerminateGoesThroughTheNodesInOrder() {
    Nemesis churn = Nemeses.named("rolling-terminate");
    List<Object> victims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      victims.add(churn.start(cluster, new Random(i)).value());
      assertThat(churn.stop(cluster).f()).isEqualTo("stop-terminate");
    }
    assertThat(victims).containsExactly(List.of("n1"), List.of("n2"), List.of("n3"), List.of("n1"));
    assertThat(cluster.calls).startsWith("terminate n1", "restart n1", "terminate n2");
  }

  @Test
  void aNemesisMustStopBeforeItStartsAgain() {
    Nemesis pause = Nemeses.named("pause");
    pause.start(cluster, new Random(1));
    assertThatThrownBy(() -> pause.start(cluster, new Random(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected: stopped before it starts again");
  }

  @Test
  void aPartitionCarriesItsGrudgeAndIsHealed() {
    Nemesis bridge = Nemeses.named("partition-bridge");
    NemesisEvent start = bridge.start(cluster, new Random(5));
    NemesisEvent stop = bridge.stop(cluster);

    assertThat(start.f()).isEqualTo("start-partition");
    assertThat(start.value()).isInstanceOf(Map.class);
    assertThat(stop.f()).isEqualTo("stop-partition");
    assertThat(cluster.calls).hasSize(2).last().isEqualTo("heal");
  }

  @Test
  void aOneWayCutDropsOneSenderAtOneReceiver() {
    for (int seed = 0; seed < 50; seed++) {
      Grudge<String> g = PartitionNemesis.oneWay(List.of("n1", "n2", "n3"), new Random(seed));
      assertThat(g.drops()).hasSize(1);
      Map.Entry<String, Set<String>> e = g.drops().entrySet().iterator().next();
      assertThat(e.getValue()).hasSize(1).doesNotContain(e.getKey());
      String sender = e.getValue().iterator().next();
      assertThat(g.delivers(e.getKey(), sender)).isTrue(); // the other direction is kept
    }
  }

  @Test
  void aSlowPeerIsSlowBothWaysOnEveryLink() {
    Nemesis slow = Nemeses.named("slow");
    NemesisEvent start = slow.start(cluster, new Random(9));
    String peer = (String) ((Map<?, ?>) start.value()).get("node");
    assertThat(cluster.calls).hasSize(4).allSatisfy(call -> assertThat(call).contains(peer));
    assertThat(slow.stop(cluster).f()).isEqualTo("stop-slow");
  }

  @Test
  void aClockBumpIsResetToZero() {
    Nemesis bump = Nemeses.named("clock-bump");
    NemesisEvent start = bump.start(cluster, new Random(2));
    NemesisEvent stop = bump.stop(cluster);
    String node = (String) ((Map<?, ?>) start.value()).get("node");
    assertThat(start.f()).isEqualTo("bump-clock");
    assertThat(stop.f()).isEqualTo("reset-clock");
    assertThat(cluster.calls.get(0)).matches("clock " + node + " -?30000");
    assertThat(cluster.calls.get(1)).isEqualTo("clock " + node + " 0");
  }

  @Test
  void aStrobeFlipsTheClockAndLeavesItAtRealTime() {
    ClockNemesis strobe =
        ClockNemesis.strobe(
            "s", Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2));
    NemesisEvent event = strobe.start(cluster, new Random(1));
    assertThat(event.f()).isEqualTo("strobe-clock");
    assertThat(cluster.calls).hasSize(2);
    assertThat(cluster.calls.get(0)).endsWith(" 5000");
    assertThat(cluster.calls.get(1)).endsWith(" 0");
    assertThatThrownBy(
            () ->
                ClockNemesis.strobe(
                    "s", Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(4)))
        .hasMessageContaining("expected: period >= 2 s");
  }

  @Test
  void membershipJoinsASpareAndItLeaves() {
    Nemesis churn = Nemeses.membership(List.of("n4"));
    assertThat(churn.start(cluster, new Random(1)).f()).isEqualTo("start-membership");
    assertThat(cluster.nodes()).contains("n4");
    assertThat(churn.stop(cluster).targets()).containsExactly("n4");
    assertThat(cluster.calls).containsExactly("join n4", "leave n4");
    assertThatThrownBy(() -> churn.start(cluster, new Random(1)))
        .hasMessageContaining("every spare name");
  }

  @Test
  void anUnverifiedFaultMakesTheEventUnverified() {
    cluster.status = Status.FAILED;
    NemesisEvent event = Nemeses.named("wipe").start(cluster, new Random(1));
    assertThat(event.verified()).isFalse();
    assertThat(event.historyFields()).containsEntry("verified", false);

    cluster.status = Status.SKIPPED;
    NemesisEvent skipped = Nemeses.named("clock-bump").start(cluster, new Random(1));
    assertThat(skipped.status()).isEqualTo(Status.SKIPPED);
    assertThat(skipped.historyFields()).containsEntry("verified", null);
  }

  @Test
  void anUnknownNameIsRefused() {
    assertThatThrownBy(() -> Nemeses.named("meteor"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("nemesis: meteor (expected one of [kill, ");
  }
}
