package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * When a record too large to ship whole is shipped whole anyway instead of compared member by
 * member ({@link Reconciler#lopsided}): the counts' difference bounds the members that differ from
 * below, and past a point a comparison costs more than the members themselves.
 */
class ShippedWholeRuleTest {

  @Test
  void aSideHoldingLessThanAnEighthGetsItWhole() {
    assertThat(Reconciler.lopsided(0, 1_000_000)).isTrue();
    assertThat(Reconciler.lopsided(124_999, 1_000_000)).isTrue();
    assertThat(Reconciler.lopsided(1_000_000, 100)).isTrue();
    assertThat(Reconciler.lopsided(125, 1_000)).as("a small gap").isFalse();
    assertThat(Reconciler.lopsided(125_000, 1_000_000)).as("a gap of many").isTrue();
  }

  /**
   * The regression: 1,344,040 members against 10,000,000 is more than an eighth, so the two were
   * compared member by member, and those comparisons never finished.
   */
  @Test
  void aReplicaMillionsOfMembersBehindOnAHugeSetGetsItWhole() {
    assertThat(Reconciler.lopsided(1_344_040, 10_000_000)).isTrue();
    assertThat(Reconciler.lopsided(10_000_000, 8_000_000)).isTrue();
    assertThat(Reconciler.lopsided(1_000_000, 1_000_000 - Reconciler.GAP_SHIPPED_WHOLE)).isTrue();
  }

  @Test
  void whatReplicationHasInFlightIsComparedNotShippedWhole() {
    assertThat(Reconciler.lopsided(940_000, 1_000_000)).as("the bench's lag").isFalse();
    assertThat(Reconciler.lopsided(1_000_000, 1_000_000 - Reconciler.GAP_SHIPPED_WHOLE + 1))
        .isFalse();
    assertThat(Reconciler.lopsided(9_900_000, 10_000_000)).isFalse();
    assertThat(Reconciler.lopsided(5_000_000, 5_600_000)).as("a large gap, under an eighth").isFalse();
    assertThat(Reconciler.lopsided(70_000, 75_000)).isFalse();
  }
}
