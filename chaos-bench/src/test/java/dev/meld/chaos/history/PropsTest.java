package dev.meld.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PropsTest {

  @Test
  void failingPropertyReportsItsSeedAndTheReplayCommand() {
    assertThatThrownBy(() -> Props.check(qt -> qt.forAll(integers().all()).check(i -> i < 0)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Property failed with seed ")
        .hasMessageContaining("-Dtest='dev.meld.chaos.history.PropsTest#")
        .hasMessageContaining("-Dmeld.props.seed=");
  }

  @Test
  void passingPropertyRunsTheConfiguredNumberOfExamples() {
    AtomicInteger runs = new AtomicInteger();
    Props.check(qt -> qt.forAll(integers().all()).checkAssert(i -> runs.incrementAndGet()));
    assertThat(runs.get()).isEqualTo(Props.EXAMPLES);
  }
}
