package dev.meld.hlc;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The checks the monotonicity properties rely on reject the histories a broken clock would produce.
 */
class StampChecksTest {

  @Test
  void strictlyIncreasingRejectsARepeatAndAStepBack() {
    assertThatCode(() -> StampChecks.strictlyIncreasing("ok", new long[] {1, 2, 70_000}))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> StampChecks.strictlyIncreasing("repeat", new long[] {1, 2, 2}))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("repeat: stamp 2");
    assertThatThrownBy(() -> StampChecks.strictlyIncreasing("back", new long[] {5, 4}))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("back: stamp 1");
  }

  @Test
  void allDistinctRejectsAStampIssuedToTwoThreads() {
    assertThatCode(() -> StampChecks.allDistinct(new long[] {1, 3}, new long[] {2, 4}))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> StampChecks.allDistinct(new long[] {1, 3}, new long[] {2, 3}))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("at sequence 0 index 1 and at sequence 1 index 1");
  }
}
