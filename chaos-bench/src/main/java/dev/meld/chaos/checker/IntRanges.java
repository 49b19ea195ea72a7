package dev.meld.chaos.checker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable set of longs held as sorted, disjoint, non-adjacent closed ranges {@code [lo, hi]}:
 * the acceptable values of a counter, as Maelstrom's {@code TreeRangeSet}.
 */
final class IntRanges {

  /*
   * The values a counter may end at are the definite sum plus the sum of any subset of the
   * indeterminate deltas. Adding one more delta d maps the set S to S ∪ (S + d): shift every range
   * and merge the two sorted lists, coalescing ranges that touch. Deltas of a real workload are
   * small against their number, so ranges merge quickly into a few; {2, 10, 100} from {0} gives
   * [0 0] [2 2] [10 10] [12 12] [100 100] [102 102] [110 110] [112 112], while {1, 1, 2} gives
   * [0 4].
   *
   * Far-apart deltas (1, 10, 100, 1000, ...) can double the number of ranges at every step. To
   * keep the cost bounded, coarsen(max) closes the smallest gaps until at most `max` ranges
   * remain. The result is a superset: a checker using it never reports a false error, but may
   * miss a read that falls in a closed gap, so it reports that the set is approximate.
   */

  private final long[] lo;
  private final long[] hi;

  private IntRanges(long[] lo, long[] hi) {
    this.lo = lo;
    this.hi = hi;
  }

  static IntRanges point(long value) {
    return new IntRanges(new long[] {value}, new long[] {value});
  }

  int size() {
    return lo.length;
  }

  boolean contains(long value) {
    int i = Arrays.binarySearch(lo, value);
    if (i >= 0) {
      return true;
    }
    int before = -i - 2;
    return before >= 0 && value <= hi[before];
  }

  /**
   * This set united with itself shifted by {@code delta}.
   *
   * @throws ArithmeticException if a shifted bound leaves the range of a long
   */
  IntRanges unionShifted(long delta) {
    if (delta == 0) {
      return this;
    }
    int n = lo.length;
    long[] outLo = new long[2 * n];
    long[] outHi = new long[2 * n];
    int out = 0;
    int a = 0;
    int b = 0;
    while (a < n || b < n) {
      long l;
      long h;
      if (b >= n || (a < n && lo[a] <= Math.addExact(lo[b], delta))) {
        l = lo[a];
        h = hi[a++];
      } else {
        l = Math.addExact(lo[b], delta);
        h = Math.addExact(hi[b++], delta);
      }
      if (out > 0 && touches(outHi[out - 1], l)) {
        outHi[out - 1] = Math.max(outHi[out - 1], h);
      } else {
        outLo[out] = l;
        outHi[out++] = h;
      }
    }
    return new IntRanges(Arrays.copyOf(outLo, out), Arrays.copyOf(outHi, out));
  }

  /** At most {@code max} ranges, closing the smallest gaps first; this set if already so. */
  IntRanges coarsen(int max) {
    int n = lo.length;
    if (n <= max) {
      return this;
    }
    Integer[] gaps = new Integer[n - 1];
    for (int i = 0; i < n - 1; i++) {
      gaps[i] = i;
    }
    // Gap i lies between range i and range i + 1; compare widths without overflow.
    Arrays.sort(gaps, (x, y) -> Long.compareUnsigned(lo[x + 1] - hi[x], lo[y + 1] - hi[y]));
    boolean[] close = new boolean[n - 1];
    for (int i = 0; i < n - max; i++) {
      close[gaps[i]] = true;
    }
    long[] outLo = new long[max];
    long[] outHi = new long[max];
    int out = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && close[i - 1]) {
        outHi[out - 1] = hi[i];
      } else {
        outLo[out] = lo[i];
        outHi[out++] = hi[i];
      }
    }
    return new IntRanges(outLo, outHi);
  }

  /** The ranges as {@code [[lo, hi], ...]}, Maelstrom's closed-range form. */
  List<List<Long>> toList() {
    List<List<Long>> ranges = new ArrayList<>(lo.length);
    for (int i = 0; i < lo.length; i++) {
      ranges.add(List.of(lo[i], hi[i]));
    }
    return ranges;
  }

  private static boolean touches(long previousHi, long nextLo) {
    return nextLo <= previousHi || (previousHi != Long.MAX_VALUE && nextLo == previousHi + 1);
  }

  @Override
  public String toString() {
    return toList().toString();
  }
}
