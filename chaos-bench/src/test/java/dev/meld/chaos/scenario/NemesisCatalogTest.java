package dev.meld.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.nemesis.ClockNemesis;
import dev.meld.chaos.nemesis.Nemesis;
import dev.meld.chaos.nemesis.NemesisEvent;
import dev.meld.chaos.runner.FakeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The runner records a nemesis op's invocation before the fault, with the {@code f} the catalog
 * says; each nemesis must produce that {@code f} when it runs, or the history would not pair.
 */
class NemesisCatalogTest {

  @Test
  void everyNemesisStartsAndStopsWithTheFsTheCatalogNames() {
    for (NemesisCatalog.Entry e : NemesisCatalog.entries()) {
      FakeCluster cluster = new FakeCluster(5, Path.of("unused"));
      // The catalog's strobe runs 12 s; a 2 s one records the same ops.
      Nemesis nemesis =
          e.name().equals("clock-strobe")
              ? ClockNemesis.strobe(e.name(), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(2))
              : NemesisCatalog.create(e.name(), List.of("n6"));
      if (e.copies()) {
        // Backup and restore act only as a step aims them; a restore puts back a copy taken before.
        Aim copy = Aim.copy(List.of("n2"), "latest");
        nemesis = NemesisCatalog.aim(nemesis, copy);
        cluster.backup("n2", "latest");
      }
      NemesisEvent start = nemesis.start(cluster, new Random(1));
      assertThat(start.f()).as(e.name()).isEqualTo(e.startF());
      assertThat(start.verified()).as(e.name()).isTrue();
      if (!e.oneOff()) {
        assertThat(nemesis.stop(cluster).f()).as(e.name()).isEqualTo(e.stopF());
      }
    }
  }

  @Test
  void theWipeAndTheRestoreDestroyData() {
    // A restore loses what its node acknowledged after the backup, so it is drained for and
    // checked like a wipe.
    assertThat(NemesisCatalog.entries())
        .filteredOn(NemesisCatalog.Entry::destroysData)
        .extracting(NemesisCatalog.Entry::name)
        .containsExactly("wipe", "restore");
    assertThat(NemesisCatalog.dataLossFs()).containsExactlyInAnyOrder("wipe", "restore");
    assertThat(NemesisCatalog.entry("restore").newIncarnation()).isTrue();
    assertThat(NemesisCatalog.entry("backup").newIncarnation()).isFalse();
  }

  @Test
  void onlyBackupAndRestoreWorkOnCopiesAndNoLaneMayPickThem() {
    assertThat(NemesisCatalog.entries())
        .filteredOn(NemesisCatalog.Entry::copies)
        .extracting(NemesisCatalog.Entry::name)
        .containsExactly("backup", "restore");
    assertThatThrownBy(() -> Lane.of("restore", 0, 1_000, 1_000))
        .hasMessageContaining("nemesis: \"restore\" (expected: a nemesis a lane may pick at random");
  }

  @Test
  void aCopyStepNeedsTargetsAndACopyAndOnlyItMayNameOne() {
    assertThat(NemesisCatalog.checkAim("backup", Aim.NONE, 3))
        .isEqualTo("targets: [] (expected: the nodes to backup and the copy's name)");
    assertThat(NemesisCatalog.checkAim("backup", Aim.copy(List.of("n1", "n2", "n3"), "x"), 3)).isNull();
    assertThat(NemesisCatalog.checkAim("restore", Aim.copy(List.of("n1", "n2", "n3"), "x"), 3))
        .startsWith("targets: [n1, n2, n3] (expected: fewer than all 3 nodes");
    assertThat(NemesisCatalog.checkAim("kill", Aim.copy(List.of("n1"), "x"), 3))
        .isEqualTo("copy: \"x\" (expected: none: only backup and restore name a copy)");
  }
}
