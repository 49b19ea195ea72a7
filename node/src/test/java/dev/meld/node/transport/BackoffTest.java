package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.node.store.Props;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The redial backoff: jittered, exponentially growing, capped, and reset by a success. */
class BackoffTest {

  /**
   * Property: the n-th wait since the last reset lies in {@code [min, min(max, min * 2^n)]}, for
   * any bounds and any sequence of waits and resets.
   */
  @Test
  void everyWaitLiesBetweenMinAndTheDoublingCeilingCappedAtMax() {
    Props.check(
        getClass().getSimpleName() + "#everyWaitLiesBetweenMinAndTheDoublingCeilingCappedAtMax",
        qt ->
            qt.forAll(
                    longs().between(1, 10_000),
                    longs().between(0, 1_000_000),
                    lists().of(integers().between(0, 9)).ofSizeBetween(1, 80),
                    longs().all())
                .checkAssert(
                    (min, extra, steps, seed) -> {
                      long max = min + extra;
                      Backoff backoff = new Backoff(min, max, new SplittableRandom(seed));
                      int sinceReset = 0;
                      for (int step : steps) {
                        if (step == 0) {
                          backoff.reset();
                          sinceReset = 0;
                          continue;
                        }
                        long ceiling = Math.min(max, min * (1L << Math.min(sinceReset, 40)));
                        assertThat(backoff.next()).isBetween(min, Math.max(min, ceiling));
                        sinceReset++;
                      }
                    }));
  }

  @Test
  void waitsSpreadOverTheWholeRange() {
    Backoff backoff = new Backoff(100, 5_000, new SplittableRandom(1));
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    long low = Long.MAX_VALUE;
    long high = 0;
    for (int i = 0; i < 1_000; i++) {
      long wait = backoff.next();
      low = Math.min(low, wait);
      high = Math.max(high, wait);
    }
    assertThat(low).isLessThan(600);
    assertThat(high).isGreaterThan(4_500);
  }

  @Test
  void boundsAreChecked() {
    assertThatThrownBy(() -> new Backoff(0, 10, new SplittableRandom()))
        .hasMessage("backoff: 0..10 ms (expected: 1 <= min <= max)");
    assertThatThrownBy(() -> new Backoff(10, 5, new SplittableRandom()))
        .hasMessage("backoff: 10..5 ms (expected: 1 <= min <= max)");
  }
}
