package dev.meld.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;

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
      NemesisEvent start = nemesis.start(cluster, new Random(1));
      assertThat(start.f()).as(e.name()).isEqualTo(e.startF());
      assertThat(start.verified()).as(e.name()).isTrue();
      if (!e.oneOff()) {
        assertThat(nemesis.stop(cluster).f()).as(e.name()).isEqualTo(e.stopF());
      }
    }
  }

  @Test
  void onlyTheWipeDestroysData() {
    assertThat(NemesisCatalog.entries())
        .filteredOn(NemesisCatalog.Entry::destroysData)
        .extracting(NemesisCatalog.Entry::name)
        .containsExactly("wipe");
  }
}
