package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clock faults through libfaketime: the environment, the offset file, and a real child's clock. */
class FaketimeTest {

  @TempDir Path dir;

  @Test
  void offsetsAreWrittenAsRelativeSecondsWithMillisecondsWhenThereAreAny() {
    assertThat(Faketime.format(Duration.ofSeconds(30))).isEqualTo("+30");
    assertThat(Faketime.format(Duration.ZERO)).isEqualTo("+0");
    assertThat(Faketime.format(Duration.ofMillis(-1500))).isEqualTo("-1.500");
    assertThat(Faketime.format(Duration.ofMillis(250))).isEqualTo("+0.250");
    assertThat(Faketime.format(Duration.ofMinutes(-2))).isEqualTo("-120");
  }

  @Test
  void theEnvironmentPreloadsTheLibraryAndKeepsTheMonotonicClockReal() {
    Map<String, String> env =
        Faketime.environment(Path.of("/lib/libfaketime.so.1"), Path.of("/out/n1/clock"));
    assertThat(env)
        .containsEntry("LD_PRELOAD", "/lib/libfaketime.so.1")
        .containsEntry("FAKETIME_TIMESTAMP_FILE", "/out/n1/clock")
        .containsEntry("FAKETIME_CACHE_DURATION", "1")
        .containsEntry("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .containsEntry("NO_FAKE_STAT", "1")
        .doesNotContainKey("FAKETIME");
  }

  /**
   * Regression: with libfaketime's monotonic fix on (it turns itself on for this glibc), a node's
   * timed waits ran late and a stand-in node took 10 s instead of 0.7 s to answer its first
   * request, so nodes under libfaketime missed their ready timeouts. The fix stays off.
   */
  @Test
  void theMonotonicFixIsOffBecauseItMadeTimedWaitsInTheJvmRunLate() {
    assertThat(Faketime.environment(Path.of("/lib/f.so.1"), Path.of("/c")))
        .containsEntry("FAKETIME_FORCE_MONOTONIC_FIX", "0");
  }

  @Test
  void theOffsetFileIsReplacedWholeAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("clock");
    Faketime.writeOffset(file, Duration.ofSeconds(5));
    Faketime.writeOffset(file, Duration.ofMillis(-750));
    assertThat(Files.readString(file)).isEqualTo("-0.750\n");
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void aChildJvmsWallClockFollowsTheOffsetFileWhileItsMonotonicClockDoesNot() throws Exception {
    Optional<Path> library = Faketime.locate();
    assumeTrue(library.isPresent(), "libfaketime missing: " + Faketime.INSTALL);
    Path clock = dir.resolve("clock");
    Faketime.writeOffset(clock, Duration.ZERO);
    ChildProcess child = TestChildren.start(dir, Faketime.environment(library.get(), clock));
    try {
      TestChildren.awaitBeats(dir, 1);
      assertThat(skewOf(dir)).isBetween(-500L, 500L);

      Faketime.writeOffset(clock, Duration.ofSeconds(30));
      String moved =
          ClockCheck.await(
              () -> TestChildren.read(dir)[1] - 20,
              Duration.ofSeconds(30),
              Duration.ofMillis(400),
              Duration.ofSeconds(5));
      assertThat(moved).startsWith("node clock at +");

      Faketime.writeOffset(clock, Duration.ofSeconds(-10));
      ClockCheck.await(
          () -> TestChildren.read(dir)[1] - 20,
          Duration.ofSeconds(-10),
          Duration.ofMillis(400),
          Duration.ofSeconds(5));
      // The child's sleeps use the monotonic clock: it keeps beating through both jumps.
      long beats = TestChildren.read(dir)[0];
      TestChildren.awaitBeats(dir, beats + 5);
    } finally {
      child.kill();
    }
  }

  private static long skewOf(Path dir) throws Exception {
    return TestChildren.read(dir)[1] - System.currentTimeMillis();
  }
}
