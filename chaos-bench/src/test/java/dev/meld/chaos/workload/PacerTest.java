package dev.meld.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PacerTest {

  @Test
  void gapsAverageClientsOverRateAndNeverBurstToCatchUp() {
    Pacer pacer = new Pacer(100, 4); // each of 4 clients every 40 ms on average
    assertThat(pacer.meanGapNanos()).isEqualTo(40_000_000);
    Random random = new Random(5);
    long start = 0;
    long sum = 0;
    for (int i = 0; i < 10_000; i++) {
      long next = pacer.nextStart(start, start, random);
      assertThat(next - start).isBetween(0L, 80_000_000L);
      sum += next - start;
      start = next;
    }
    assertThat(sum / 10_000).isBetween(38_000_000L, 42_000_000L);
    // Behind schedule: start now, not in the past.
    assertThat(pacer.nextStart(0, 1_000_000_000, random)).isEqualTo(1_000_000_000);
  }

  @Test
  void badRatesAreRefused() {
    assertThatThrownBy(() -> new Pacer(0, 1)).hasMessage("rate: 0.0 (expected: in (0, 100000.0])");
    assertThatThrownBy(() -> new Pacer(10, 0)).hasMessage("clients: 0 (expected: >= 1)");
  }
}
