package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SegmentTest {

  @Test
  void segmentsAreContiguousHashRanges() {
    Segment s = new Segment(4, 0xa);
    assertThat(s.first()).isEqualTo(0xa000000000000000L);
    assertThat(s.last()).isEqualTo(0xafffffffffffffffL);
    assertThat(s.contains(0xa123456789abcdefL)).isTrue();
    assertThat(s.contains(0xb000000000000000L)).isFalse();
    assertThat(Segment.ROOT.first()).isZero();
    assertThat(Segment.ROOT.last()).isEqualTo(-1L);
  }

  /**
   * Regression: last() of a 64-bit segment was {@code first() | (-1L >>> 64)}, and Java masks the
   * shift to 0, so a single-hash segment ran to the end of the key space and a session listing it
   * (a dense leaf split down to 64 bits) would have listed, and shipped, every later key.
   */
  @Test
  void aSingleHashSegmentEndsAtThatHash() {
    assertThat(new Segment(64, 5).first()).isEqualTo(5);
    assertThat(new Segment(64, 5).last()).isEqualTo(5);
    assertThat(new Segment(64, -1L).last()).isEqualTo(-1L);
  }

  @Test
  void childrenAndAncestorsNavigateTheTree() {
    Segment s = Segment.of(0xabcdef0000000000L, 8);
    assertThat(s).isEqualTo(new Segment(8, 0xab));
    assertThat(s.child(12, 0xc)).isEqualTo(new Segment(12, 0xabc));
    assertThat(s.child(12, 0xc).ancestor(4)).isEqualTo(new Segment(4, 0xa));
    assertThat(s.ancestor(0)).isEqualTo(Segment.ROOT);
    assertThat(new Segment(60, 1).child(64, 15)).isEqualTo(new Segment(64, 31));
  }

  @Test
  void badArgumentsSayWhatWasExpected() {
    assertThatThrownBy(() -> new Segment(65, 0)).hasMessage("bits: 65 (expected: 0..64)");
    assertThatThrownBy(() -> new Segment(4, 16)).hasMessage("prefix: 0x10 (expected: < 2^4)");
    assertThatThrownBy(() -> new Segment(4, 1).child(3, 0))
        .hasMessage("childBits: 3 (expected: 4..20)");
    assertThatThrownBy(() -> new Segment(4, 1).child(8, 16))
        .hasMessage("index: 16 (expected: 0..15)");
    assertThatThrownBy(() -> new Segment(4, 1).ancestor(5))
        .hasMessage("ancestorBits: 5 (expected: 0..4)");
  }
}
