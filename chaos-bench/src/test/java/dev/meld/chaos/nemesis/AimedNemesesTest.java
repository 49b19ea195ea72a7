package dev.meld.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.scenario.Aim;
import dev.meld.chaos.scenario.NemesisCatalog;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A step that names its targets hits exactly those nodes, whatever the seed would have picked. */
class AimedNemesesTest {

  private final RecordingCluster cluster = new RecordingCluster("n1", "n2", "n3", "n4", "n5");

  private Nemesis aimed(String name, Aim aim) {
    return NemesisCatalog.aim(NemesisCatalog.create(name, List.of("n6")), aim);
  }

  @Test
  void anAimedKillHitsTheNamedNodesOnEverySeedAndRestartsThem() {
    for (long seed = 1; seed <= 20; seed++) {
      cluster.calls.clear();
      Nemesis kill = aimed("kill", Aim.targets(List.of("n4", "n2")));
      assertThat(kill.start(cluster, new Random(seed)).targets()).containsExactly("n4", "n2");
      kill.stop(cluster);
      assertThat(cluster.calls).containsExactly("kill n4", "kill n2", "restart n4", "restart n2");
    }
  }

  @Test
  void aimedSingleNodeFaultsHitTheNamedNode() {
    for (long seed = 1; seed <= 10; seed++) {
      cluster.calls.clear();
      aimed("pause", Aim.targets(List.of("n5"))).start(cluster, new Random(seed));
      aimed("wipe", Aim.targets(List.of("n3"))).start(cluster, new Random(seed));
      aimed("clock-bump", Aim.targets(List.of("n1"))).start(cluster, new Random(seed));
      aimed("slow", Aim.targets(List.of("n2"))).start(cluster, new Random(seed));
      assertThat(cluster.calls.subList(0, 3)).containsExactly("pause n5", "wipe n3", cluster.calls.get(2));
      assertThat(cluster.calls.get(2)).startsWith("clock n1 ");
      // Every degraded link touches n2, in both directions, to each of the four others.
      assertThat(cluster.calls.subList(3, cluster.calls.size())).hasSize(8).allMatch(c -> c.contains("n2"));
    }
  }

  @Test
  void aimedPartitionsCutTheNamedSides() {
    aimed("partition-halves", Aim.sides(List.of(List.of("n1"), List.of("n2", "n3"), List.of("n4", "n5"))))
        .start(cluster, new Random(1));
    assertThat(cluster.calls.get(0))
        .isEqualTo("partition " + Grudges.complete(List.of(List.of("n1"), List.of("n2", "n3"), List.of("n4", "n5"))));
    cluster.calls.clear();
    NemesisEvent one = aimed("partition-one", Aim.targets(List.of("n3"))).start(cluster, new Random(1));
    Grudge<String> expected = Grudges.complete(List.of(List.of("n3"), List.of("n1", "n2", "n4", "n5")));
    assertThat(cluster.calls).containsExactly("partition " + expected);
    assertThat(one.value()).isEqualTo(expected.drops());
  }

  @Test
  void backupAndRestoreActOnTheNamedCopyOfEachNodeInTurnAndNowhereUnaimed() {
    NemesisEvent backup = aimed("backup", Aim.copy(List.of("n4", "n2"), "nightly")).start(cluster, new Random(1));
    NemesisEvent restore = aimed("restore", Aim.copy(List.of("n2"), "nightly")).start(cluster, new Random(1));

    assertThat(cluster.calls).containsExactly("backup n4 nightly", "backup n2 nightly", "restore n2 nightly");
    assertThat(backup.f()).isEqualTo("backup");
    assertThat(backup.value()).isEqualTo(java.util.Map.of("nodes", List.of("n4", "n2"), "copy", "nightly"));
    assertThat(restore.targets()).containsExactly("n2");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NemesisCatalog.create("restore", List.of()).start(cluster, new Random(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("restore: no targets (expected: a timeline step naming the nodes and the copy)");
    assertThat(cluster.calls).hasSize(3);
  }

  @Test
  void aTargetThatIsNotAMemberFailsTheStepAndTouchesNothing() {
    Nemesis kill = aimed("kill", Aim.targets(List.of("n9")));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> kill.start(cluster, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target: n9 (expected: one of the members [n1, n2, n3, n4, n5])");
    assertThat(cluster.calls).isEmpty();
  }

  @Test
  void noAimKeepsTheSeededChoice() {
    Nemesis plain = NemesisCatalog.create("kill", List.of());
    assertThat(NemesisCatalog.aim(plain, Aim.NONE)).isSameAs(plain);
  }
}
