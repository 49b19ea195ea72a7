package dev.meld.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntRangesTest {

  @Test
  void shiftingMergesTouchingRanges() {
    IntRanges r = IntRanges.point(0).unionShifted(1).unionShifted(1).unionShifted(2);
    assertThat(r.toList()).isEqualTo(List.of(List.of(0L, 4L)));
  }

  @Test
  void farDeltasKeepRangesApart() {
    IntRanges r = IntRanges.point(0).unionShifted(2).unionShifted(10);
    assertThat(r.toList())
        .isEqualTo(List.of(List.of(0L, 0L), List.of(2L, 2L), List.of(10L, 10L), List.of(12L, 12L)));
    assertThat(r.contains(2)).isTrue();
    assertThat(r.contains(1)).isFalse();
    assertThat(r.contains(13)).isFalse();
    assertThat(r.contains(-1)).isFalse();
  }

  @Test
  void negativeDeltasShiftDown() {
    IntRanges r = IntRanges.point(10).unionShifted(5).unionShifted(-1).unionShifted(-1);
    assertThat(r.toList()).isEqualTo(List.of(List.of(8L, 10L), List.of(13L, 15L)));
  }

  @Test
  void coarsenClosesTheSmallestGapsFirst() {
    IntRanges r = IntRanges.point(0).unionShifted(2).unionShifted(10);
    assertThat(r.coarsen(2).toList()).isEqualTo(List.of(List.of(0L, 2L), List.of(10L, 12L)));
    assertThat(r.coarsen(1).toList()).isEqualTo(List.of(List.of(0L, 12L)));
    assertThat(r.coarsen(4)).isSameAs(r);
  }

  @Test
  void shiftBeyondALongThrows() {
    assertThatThrownBy(() -> IntRanges.point(Long.MAX_VALUE).unionShifted(1))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void rangesAtTheEdgeOfALongDoNotWrap() {
    IntRanges r = IntRanges.point(Long.MAX_VALUE - 1).unionShifted(1);
    assertThat(r.toList()).isEqualTo(List.of(List.of(Long.MAX_VALUE - 1, Long.MAX_VALUE)));
    assertThat(r.contains(Long.MIN_VALUE)).isFalse();
  }
}
