package dev.meld.hlc;

import static dev.meld.hlc.HlcTimestamp.MAX_LOGICAL;
import static dev.meld.hlc.HlcTimestamp.MAX_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;

@ExtendWith(Props.class)
class HlcTimestampPropertiesTest {

  private static final Gen<Long> MILLIS =
      longs().between(0, MAX_MILLIS).mix(longs().between(MAX_MILLIS - 2, MAX_MILLIS));
  private static final Gen<Integer> LOGICAL = integers().between(0, MAX_LOGICAL);

  /**
   * Law: {@code millis(pack(m, c)) == m} and {@code logical(pack(m, c)) == c} for every valid pair.
   */
  @Test
  void packThenUnpackIsTheIdentity() {
    Props.qt()
        .forAll(MILLIS, LOGICAL)
        .checkAssert(
            (m, c) -> {
              long ts = HlcTimestamp.pack(m, c);
              assertThat(ts).isNotNegative();
              assertThat(HlcTimestamp.millis(ts)).isEqualTo(m);
              assertThat(HlcTimestamp.logical(ts)).isEqualTo(c);
            });
  }

  /**
   * Law: signed {@code long} order of packed stamps is the (millis, logical) lexicographic order.
   * The second stamp's millis are within one of the first's, so equal millis (where the counter
   * decides) are common.
   */
  @Test
  void longOrderIsMillisThenLogicalOrder() {
    Comparator<long[]> pairs =
        Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]);
    Props.qt()
        .forAll(MILLIS, LOGICAL, longs().between(-1, 1), LOGICAL)
        .checkAssert(
            (m1, c1, step, c2) -> {
              long m2 = Math.max(0, Math.min(MAX_MILLIS, m1 + step));
              int expected =
                  Integer.signum(pairs.compare(new long[] {m1, c1}, new long[] {m2, c2}));
              assertThat(
                      Integer.signum(
                          Long.compare(HlcTimestamp.pack(m1, c1), HlcTimestamp.pack(m2, c2))))
                  .isEqualTo(expected);
            });
  }
}
