package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a terminated node's log says about its drain. */
class DrainLogTest {

  @Test
  void theLastDrainResultIsFound() {
    List<String> log =
        List.of(
            "INFO starting",
            "INFO drain timed out, peers missing: [n2]",
            "INFO drain completed in 120 ms",
            "INFO bye");
    assertThat(DrainLog.result(log)).contains("INFO drain completed in 120 ms");
    assertThat(DrainLog.completed("INFO drain completed in 120 ms")).isTrue();
  }

  @Test
  void aTimedOutOrIncompleteDrainIsNotCompleted() {
    assertThat(DrainLog.completed("WARN drain timed out, peers missing: [n2]")).isFalse();
    assertThat(DrainLog.completed("WARN drain not completed: timed out")).isFalse();
    assertThat(DrainLog.result(List.of("WARN Drain TIMED OUT"))).isPresent();
  }

  @Test
  void aLogWithoutADrainLineHasNoResult() {
    assertThat(DrainLog.result(List.of("INFO starting", "INFO draining started"))).isEmpty();
  }
}
