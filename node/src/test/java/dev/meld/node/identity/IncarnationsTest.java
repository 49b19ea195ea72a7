package dev.meld.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** How incarnation numbers are chosen, one reason at a time. */
class IncarnationsTest {

  private static final long NOW = 1_700_000_000_000L;

  /** Random bits that are always zero: shows what the stamp alone guarantees. */
  private static final RandomGenerator ZEROS = () -> 0L;

  @Test
  void theStampIsWallSecondsAboveThirtyRandomBits() {
    long incarnation = Incarnations.next(0, NOW, () -> -1L);
    assertThat(Incarnations.stamp(incarnation)).isEqualTo(NOW / 1000);
    assertThat(incarnation & ((1L << 30) - 1)).isEqualTo((1L << 30) - 1);
  }

  @Test
  void alongOneHistoryIncarnationsStrictlyIncreaseEvenWhenTheClockGoesBack() {
    long previous = Incarnations.next(0, NOW, ZEROS);
    long[] clock = {NOW, NOW, NOW - 3_600_000, NOW + 500, 0, -5_000};
    RandomGenerator random = new SplittableRandom(7);
    for (long now : clock) {
      long next = Incarnations.next(previous, now, random);
      assertThat(Long.compareUnsigned(next, previous)).isPositive();
      previous = next;
    }
  }

  @Test
  void aRestoreAfterTheLostHistoryMovedOnGetsALaterStampWhenTheClockIsSane() {
    long backup = Incarnations.next(0, NOW, ZEROS);
    long lost1 = Incarnations.next(backup, NOW + 10_000, ZEROS);
    long lost2 = Incarnations.next(lost1, NOW + 20_000, ZEROS);
    long restored = Incarnations.next(backup, NOW + 30_000, ZEROS);
    // A plain "previous + 1" counter would have taken lost1's number again.
    assertThat(restored).isNotIn(backup, lost1, lost2);
    assertThat(Incarnations.stamp(restored)).isGreaterThan(Incarnations.stamp(lost2));
  }

  @Test
  void aRestoreWithAFrozenClockStillDiffersByItsRandomBits() {
    long backup = Incarnations.next(0, NOW, ZEROS);
    long lost = Incarnations.next(backup, NOW, new SplittableRandom(1));
    long restored = Incarnations.next(backup, NOW, new SplittableRandom(2));
    assertThat(Incarnations.stamp(restored)).isEqualTo(Incarnations.stamp(lost));
    assertThat(restored).isNotEqualTo(lost);
  }

  @Test
  void aClockBeyondTheStampRangeIsRefused() {
    long far = (Incarnations.MAX_STAMP + 1) * 1000;
    assertThatThrownBy(() -> Incarnations.next(0, far, ZEROS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "incarnation stamp: 17179869184 (expected: <= 17179869183); is the clock sane?");
  }
}
