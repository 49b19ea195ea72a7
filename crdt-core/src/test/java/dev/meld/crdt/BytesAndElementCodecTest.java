package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Bytes} and the two {@link ElementCodec}s. */
class BytesAndElementCodecTest {
  @Test
  void bytesCopyInAndOut() {
    byte[] raw = {1, 2, 3};
    Bytes bytes = Bytes.of(raw);
    raw[0] = 9;
    assertThat(bytes.byteAt(0)).isEqualTo((byte) 1);
    bytes.toByteArray()[1] = 9;
    assertThat(bytes).isEqualTo(Bytes.of((byte) 1, (byte) 2, (byte) 3));
    assertThat(bytes.length()).isEqualTo(3);
    assertThat(bytes).hasToString("0x010203");
  }

  @Test
  void bytesCompareUnsignedLexicographically() {
    assertThat(Bytes.of((byte) 0xff)).isGreaterThan(Bytes.of((byte) 0x01, (byte) 0x00));
    assertThat(Bytes.EMPTY).isLessThan(Bytes.of((byte) 0));
    assertThat(Bytes.utf8("ab")).isLessThan(Bytes.utf8("b"));
    assertThat(Bytes.utf8("é")).isEqualTo(Bytes.of((byte) 0xc3, (byte) 0xa9));
    assertThat(Bytes.utf8("x").hashCode()).isEqualTo(Bytes.of((byte) 'x').hashCode());
  }

  @Test
  void aKeptHashIsTheContentsHashOnEveryCall() {
    for (byte[] data : new byte[][] {{}, {0}, {'k', 'e', 'y'}, {(byte) 0xff, 1, 2, 3, 4, 5}}) {
      Bytes b = Bytes.of(data);
      assertThat(b.hashCode()).isEqualTo(java.util.Arrays.hashCode(data));
      assertThat(b.hashCode()).isEqualTo(java.util.Arrays.hashCode(data)); // kept, not recomputed
      assertThat(Bytes.of(data).hashCode()).isEqualTo(b.hashCode());
    }
  }

  @Test
  void utf8CodecIsStrictBothWays() {
    assertThat(ElementCodec.UTF8.decode(ElementCodec.UTF8.encode("héllo 😀"))).isEqualTo("héllo 😀");
    assertThatThrownBy(() -> ElementCodec.UTF8.encode("\uD83D"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> ElementCodec.UTF8.decode(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessage("element: 3 bytes that are not valid UTF-8 (expected: UTF-8 text)");
  }

  @Test
  void bytesCodecIsTheIdentity() {
    Bytes b = Bytes.of((byte) 0, (byte) 0xff);
    assertThat(ElementCodec.BYTES.decode(ElementCodec.BYTES.encode(b))).isEqualTo(b);
  }
}
