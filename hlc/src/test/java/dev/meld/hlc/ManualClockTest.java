package dev.meld.hlc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  @Test
  void readsWhatItWasSetToForwardsOrBackwards() {
    ManualClock clock = new ManualClock(100);
    assertThat(clock.currentTimeMillis()).isEqualTo(100);
    clock.set(50);
    assertThat(clock.currentTimeMillis()).isEqualTo(50);
    assertThat(clock.advance(25)).isEqualTo(75);
    assertThat(clock.advance(-75)).isZero();
    assertThat(clock.currentTimeMillis()).isZero();
  }

  @Test
  void theMonotonicReadingMovesWithTimePassingAndNeverWithASteps() {
    ManualClock clock = new ManualClock(1_000);
    clock.advance(200);
    clock.set(1_500);
    assertThat(clock.monotonicMillis()).isEqualTo(1_500);
    clock.set(1_400); // back: not time passing
    clock.step(40_000); // forward step: not time passing either
    assertThat(clock.monotonicMillis()).isEqualTo(1_500);
    assertThat(clock.currentTimeMillis()).isEqualTo(40_000);
    clock.advance(10);
    assertThat(clock.monotonicMillis()).isEqualTo(1_510);
  }

  @Test
  void theSystemClocksMonotonicReadingIsNotTheWallClock() {
    long nanoMillis = System.nanoTime() / 1_000_000L;
    long read = PhysicalClock.system().monotonicMillis();
    assertThat(read).isBetween(nanoMillis, nanoMillis + 10_000);
  }

  @Test
  void advancePastTheRangeOfLongFailsAndLeavesTheReading() {
    ManualClock clock = new ManualClock(Long.MAX_VALUE - 1);
    assertThatThrownBy(() -> clock.advance(2))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage(
            "advance: 2 from 9223372036854775806 (expected: a result within the range of long)");
    assertThat(clock.currentTimeMillis()).isEqualTo(Long.MAX_VALUE - 1);
  }

  @Test
  void concurrentAdvancesAreNotLost() throws Exception {
    ManualClock clock = new ManualClock(0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10_000; i++) {
                    clock.advance(1);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(clock.currentTimeMillis()).isEqualTo(40_000);
  }

  @Test
  void systemClockIsTheOperatingSystemClock() {
    long before = System.currentTimeMillis();
    long reading = PhysicalClock.system().currentTimeMillis();
    assertThat(reading).isBetween(before, System.currentTimeMillis());
    assertThat(PhysicalClock.system()).hasToString("PhysicalClock.system()");
  }
}
