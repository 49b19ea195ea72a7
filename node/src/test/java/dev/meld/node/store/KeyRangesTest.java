package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The range set a batch plan keeps of what it range-deleted. */
class KeyRangesTest {

  private static List<String> shown(KeyRanges ranges) {
    return ranges.deletes(Space.PIECES).stream()
        .map(c -> (Change.DeleteRange) c)
        .map(r -> StoreFixture.hex(r.fromInclusive()) + ".." + StoreFixture.hex(r.toExclusive()))
        .toList();
  }

  @Test
  void overlappingRangesMergeAdjacentOnesStayApartAndEmptyOnesAddNothing() {
    KeyRanges ranges = new KeyRanges();
    ranges.add(bytes(0x10), bytes(0x20));
    ranges.add(bytes(0x20), bytes(0x30)); // adjacent
    ranges.add(bytes(0x50), bytes(0x50)); // empty
    ranges.add(bytes(0x60), bytes(0x40)); // reversed
    assertThat(shown(ranges)).containsExactly("10..20", "20..30");
    ranges.add(bytes(0x18), bytes(0x28)); // overlaps both: one range
    assertThat(shown(ranges)).containsExactly("10..30");
    ranges.add(bytes(0x80), bytes(0x90));
    ranges.add(bytes(0x90, 0), bytes(0xA0));
    ranges.add(bytes(0x08), bytes(0xFF)); // swallows everything
    assertThat(shown(ranges)).containsExactly("08..ff");
  }

  @Test
  void containsIsHalfOpenInUnsignedOrder() {
    KeyRanges ranges = new KeyRanges();
    ranges.add(bytes(0x7F), bytes(0x80, 1));
    ranges.add(bytes(0xF0), bytes(0xF1));
    assertThat(ranges.contains(bytes(0x7E, 0xFF))).isFalse();
    assertThat(ranges.contains(bytes(0x7F))).isTrue();
    assertThat(ranges.contains(bytes(0x80))).isTrue();
    assertThat(ranges.contains(bytes(0x80, 0))).isTrue();
    assertThat(ranges.contains(bytes(0x80, 1))).isFalse();
    assertThat(ranges.contains(bytes(0xF0, 0xFF))).isTrue();
    assertThat(ranges.contains(bytes(0xF1))).isFalse();
    assertThat(new KeyRanges().contains(new byte[0])).isFalse();
  }
}
