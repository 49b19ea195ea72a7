package dev.meld.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for a setup started in the background, as the test command does on a fresh machine. */
class MeldDockerTest {

  @Test
  void withoutABackgroundSetupThereIsNothingToWaitFor() {
    assertThat(MeldDocker.awaitBackgroundSetup(null, Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void aFinishedSetupIsReady(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("status"), "ready\n");

    assertThat(MeldDocker.awaitBackgroundSetup(dir.toString(), Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void aFailedSetupGivesItsReason(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("status"), "failed: debootstrap failed\n");

    Optional<String> why = MeldDocker.awaitBackgroundSetup(dir.toString(), Duration.ofSeconds(5));

    assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("debootstrap failed").contains("setup.log"));
  }

  @Test
  void aSetupStillRunningIsWaitedForUntilItFinishes(@TempDir Path dir) throws Exception {
    Path status = Files.writeString(dir.resolve("status"), "running\n");
    Thread finisher =
        new Thread(
            () -> {
              try {
                Thread.sleep(700);
                Files.writeString(status, "ready\n");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    finisher.start();

    long start = System.nanoTime();
    Optional<String> why = MeldDocker.awaitBackgroundSetup(dir.toString(), Duration.ofSeconds(20));
    finisher.join();

    assertThat(why).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aSetupThatOutlastsTheWaitIsReportedAsStillRunning(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("status"), "running\n");

    Optional<String> why = MeldDocker.awaitBackgroundSetup(dir.toString(), Duration.ofMillis(600));

    assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("still running"));
  }
}
