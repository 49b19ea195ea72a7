package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A clock fault counts only when the node's clock really stands at the offset. */
class ClockCheckTest {

  private static final Duration TOLERANCE = Duration.ofMillis(200);
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void aNodeAtTheOffsetPasses() throws Exception {
    String detail =
        ClockCheck.await(
            () -> System.currentTimeMillis() + 30_000, Duration.ofSeconds(30), TOLERANCE, SHORT);
    assertThat(detail).contains("asked +30 s ± 200 ms");
  }

  @Test
  void aNodeWhoseClockDidNotMoveFails() {
    assertThatThrownBy(
            () ->
                ClockCheck.await(
                    System::currentTimeMillis, Duration.ofSeconds(30), TOLERANCE, SHORT))
        .isInstanceOf(NotVerified.class)
        .hasMessageContaining("node clock at +")
        .hasMessageContaining("asked +30 s");
  }

  @Test
  void aNodeThatMovedTheWrongWayFails() {
    assertThatThrownBy(
            () ->
                ClockCheck.await(
                    () -> System.currentTimeMillis() - 30_000,
                    Duration.ofSeconds(30),
                    TOLERANCE,
                    SHORT))
        .isInstanceOf(NotVerified.class);
  }

  @Test
  void aNodeReportingNoClockFails() {
    assertThatThrownBy(() -> ClockCheck.await(() -> -1, Duration.ofSeconds(1), TOLERANCE, SHORT))
        .isInstanceOf(NotVerified.class)
        .hasMessageContaining("never read");
  }

  @Test
  void withinComparesTheSkewToTheOffset() {
    assertThat(ClockCheck.within(30_150, 30_000, 200)).isTrue();
    assertThat(ClockCheck.within(29_700, 30_000, 200)).isFalse();
    assertThat(ClockCheck.within(-1_000, -1_100, 100)).isTrue();
  }
}
