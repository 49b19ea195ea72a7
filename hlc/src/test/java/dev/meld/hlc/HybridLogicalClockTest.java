package dev.meld.hlc;

import static dev.meld.hlc.HlcTimestamp.MAX_LOGICAL;
import static dev.meld.hlc.HlcTimestamp.MAX_MILLIS;
import static dev.meld.hlc.HlcTimestamp.MAX_VALUE;
import static dev.meld.hlc.HlcTimestamp.pack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

  private final ManualClock wall = new ManualClock(1_000);

  @Test
  void stampsFollowTheWallClockAndCountWithinAMillisecond() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
    assertThat(clock.last()).isZero();
    assertThat(clock.now()).isEqualTo(pack(1_000, 0));
    assertThat(clock.now()).isEqualTo(pack(1_000, 1));
    wall.set(1_007);
    assertThat(clock.now()).isEqualTo(pack(1_007, 0));
    assertThat(clock.last()).isEqualTo(pack(1_007, 0));
  }

  @Test
  void workedExampleOfTheClassComment() {
    HybridLogicalClock clock = HybridLogicalClock.restore(wall, 500, pack(1_000, 3));
    assertThat(clock.now()).isEqualTo(pack(1_000, 4));
    assertThat(clock.update(pack(1_200, 7))).isEqualTo(pack(1_200, 8));
    assertThat(clock.update(pack(9_999, 0))).isEqualTo(pack(1_500, 0));
    wall.set(2_000);
    assertThat(clock.now()).isEqualTo(pack(2_000, 0));
    assertThat(clock.update(pack(2_000, MAX_LOGICAL))).isEqualTo(pack(2_001, 0));
    assertThat(clock.clampCount()).isEqualTo(1);
  }

  @Test
  void aFullCounterBorrowsTheNextMillisecondInsteadOfWrapping() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 0);
    for (int i = 0; i <= MAX_LOGICAL; i++) {
      clock.now();
    }
    assertThat(clock.last()).isEqualTo(pack(1_000, MAX_LOGICAL));
    assertThat(clock.now()).isEqualTo(pack(1_001, 0));
    wall.set(1_001); // the wall clock catches up with the borrowed millisecond: the counter goes on
    assertThat(clock.now()).isEqualTo(pack(1_001, 1));
    wall.set(1_002);
    assertThat(clock.now()).isEqualTo(pack(1_002, 0));
  }

  @Test
  void borrowingAddsAtMostCeilOfStampsOver65536Milliseconds() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
    // An in-bounds remote with a full counter: the very first stamp after it already borrows (k =
    // 1).
    assertThat(clock.update(pack(1_500, MAX_LOGICAL))).isEqualTo(pack(1_501, 0));
    for (int i = 0; i < 2 * (MAX_LOGICAL + 1); i++) {
      clock.now();
    }
    // k = 1 + 131072 stamps since the jump: 1000 + 500 + ceil(131073 / 65536) = 1503, and no
    // further.
    assertThat(clock.last()).isEqualTo(pack(1_503, 0));
  }

  @Test
  void aRemoteAtTheDriftBoundIsAdopted() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
    assertThat(clock.update(pack(1_500, 5))).isEqualTo(pack(1_500, 6));
    assertThat(clock.clampCount()).isZero();
  }

  @Test
  void aRemoteOneMillisecondBeyondTheBoundIsClampedCountedAndNotAdopted() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
    long remote = pack(1_501, 0);
    long stamp = clock.update(remote);
    assertThat(stamp).isEqualTo(pack(1_500, 0)).isLessThan(remote);
    assertThat(clock.clampCount()).isEqualTo(1);
    assertThat(clock.update(pack(MAX_MILLIS, MAX_LOGICAL))).isEqualTo(pack(1_500, 1));
    assertThat(clock.clampCount()).isEqualTo(2);
  }

  @Test
  void theDriftBoundSaturatesAtTheLargestMillis() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, MAX_MILLIS);
    assertThat(clock.update(pack(MAX_MILLIS, 0))).isEqualTo(pack(MAX_MILLIS, 1));
    assertThat(clock.clampCount()).isZero();
  }

  @Test
  void aWallClockSteppingBackDoesNotMoveTheClockBack() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 0);
    wall.set(5_000);
    assertThat(clock.now()).isEqualTo(pack(5_000, 0));
    wall.set(1_000);
    assertThat(clock.now()).isEqualTo(pack(5_000, 1));
  }

  @Test
  void restoreIssuesStampsAboveTheMarkEvenWhenTheWallClockIsBehind() {
    long mark = pack(5_000, 9);
    HybridLogicalClock clock = HybridLogicalClock.restore(wall, 0, mark);
    assertThat(clock.last()).isEqualTo(mark);
    assertThat(clock.now()).isEqualTo(pack(5_000, 10));
    assertThat(clock.update(pack(10, 0))).isEqualTo(pack(5_000, 11));
  }

  @Test
  void constructionRejectsBadArgumentsNamingTheValue() {
    assertThatThrownBy(() -> new HybridLogicalClock(null, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
    assertThatThrownBy(() -> new HybridLogicalClock(wall, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDriftMillis: -1 (expected: 0..140737488355327)");
    assertThatThrownBy(() -> new HybridLogicalClock(wall, MAX_MILLIS + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxDriftMillis: 140737488355328");
    assertThatThrownBy(() -> HybridLogicalClock.restore(wall, 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("highWaterMark: -1 (expected: 0..9223372036854775806)");
    assertThatThrownBy(() -> HybridLogicalClock.restore(wall, 0, MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("highWaterMark: 9223372036854775807 (expected: 0..9223372036854775806)");
  }

  @Test
  void aNegativeRemoteIsRejectedAndChangesNothing() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
    long before = clock.now();
    assertThatThrownBy(() -> clock.update(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("remote: -1 (expected: 0..9223372036854775807)");
    assertThat(clock.last()).isEqualTo(before);
    assertThat(clock.clampCount()).isZero();
  }

  @Test
  void aWallClockReadingOutOfRangeFailsAndChangesNothing() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
    long before = clock.now();
    wall.set(-1);
    assertThatThrownBy(clock::now)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "physical clock reading: -1 (expected: 0..140737488355327) from ManualClock[-1]");
    wall.set(MAX_MILLIS + 1);
    assertThatThrownBy(() -> clock.update(pack(5, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "physical clock reading: 140737488355328 (expected: 0..140737488355327)");
    assertThat(clock.last()).isEqualTo(before);
  }

  @Test
  void anExhaustedClockFailsInsteadOfWrappingToNegative() {
    HybridLogicalClock clock = HybridLogicalClock.restore(wall, 0, MAX_VALUE - 1);
    assertThat(clock.now()).isEqualTo(MAX_VALUE);
    assertThatThrownBy(clock::now)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "clock exhausted: no timestamp follows 6429-10-17T02:45:55.327Z#65535");
    assertThat(clock.last()).isEqualTo(MAX_VALUE);
  }

  @Test
  void anInBoundsRemoteAtTheLargestStampFailsAndChangesNothing() {
    wall.set(MAX_MILLIS);
    HybridLogicalClock clock = new HybridLogicalClock(wall, 0);
    assertThatThrownBy(() -> clock.update(MAX_VALUE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("clock exhausted");
    assertThat(clock.last()).isZero();
  }

  @Test
  void toStringShowsTheLastStampAndTheClamps() {
    HybridLogicalClock clock = new HybridLogicalClock(wall, 500);
    clock.now();
    assertThat(clock.toString())
        .isEqualTo(
            "HybridLogicalClock[last=1970-01-01T00:00:01.000Z#0, maxDriftMillis=500, clamps=0, "
                + "clock=ManualClock[1000]]");
  }
}
