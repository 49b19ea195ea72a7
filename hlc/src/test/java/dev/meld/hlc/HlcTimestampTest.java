package dev.meld.hlc;

import static dev.meld.hlc.HlcTimestamp.MAX_LOGICAL;
import static dev.meld.hlc.HlcTimestamp.MAX_MILLIS;
import static dev.meld.hlc.HlcTimestamp.MAX_VALUE;
import static dev.meld.hlc.HlcTimestamp.logical;
import static dev.meld.hlc.HlcTimestamp.millis;
import static dev.meld.hlc.HlcTimestamp.pack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HlcTimestampTest {

  @Test
  void packsMillisAboveTheSixteenBitCounter() {
    assertThat(pack(0, 0)).isZero();
    assertThat(pack(0, 1)).isEqualTo(1);
    assertThat(pack(1, 0)).isEqualTo(65_536);
    assertThat(pack(1_714_564_800_123L, 7)).isEqualTo((1_714_564_800_123L << 16) | 7);
  }

  @Test
  void limitsAreTheLargestValidParts() {
    assertThat(MAX_LOGICAL).isEqualTo(65_535);
    assertThat(MAX_MILLIS).isEqualTo(140_737_488_355_327L);
    assertThat(pack(MAX_MILLIS, MAX_LOGICAL)).isEqualTo(MAX_VALUE).isEqualTo(Long.MAX_VALUE);
    assertThat(millis(MAX_VALUE)).isEqualTo(MAX_MILLIS);
    assertThat(logical(MAX_VALUE)).isEqualTo(MAX_LOGICAL);
  }

  @Test
  void packRejectsMillisOutOfRangeNamingTheValue() {
    assertThatThrownBy(() -> pack(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("millis: -1 (expected: 0..140737488355327)");
    assertThatThrownBy(() -> pack(MAX_MILLIS + 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("millis: 140737488355328 (expected: 0..140737488355327)");
  }

  @Test
  void packRejectsLogicalOutOfRangeNamingTheValue() {
    assertThatThrownBy(() -> pack(0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("logical: -1 (expected: 0..65535)");
    assertThatThrownBy(() -> pack(0, 65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("logical: 65536 (expected: 0..65535)");
  }

  @Test
  void negativeLongsAreNotTimestamps() {
    assertThatThrownBy(() -> millis(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timestamp: -1 (expected: 0..9223372036854775807)");
    assertThatThrownBy(() -> logical(Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HlcTimestamp.toString(-5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringIsAnIsoInstantWithMillisThenTheCounter() {
    assertThat(HlcTimestamp.toString(0)).isEqualTo("1970-01-01T00:00:00.000Z#0");
    assertThat(HlcTimestamp.toString(pack(1_714_564_800_123L, 7)))
        .isEqualTo("2024-05-01T12:00:00.123Z#7");
    assertThat(HlcTimestamp.toString(MAX_VALUE)).isEqualTo("6429-10-17T02:45:55.327Z#65535");
  }

  @Test
  void addingOneToAFullCounterBorrowsTheNextMillisecond() {
    long full = pack(1_000, MAX_LOGICAL);
    assertThat(full + 1).isEqualTo(pack(1_001, 0));
  }
}
