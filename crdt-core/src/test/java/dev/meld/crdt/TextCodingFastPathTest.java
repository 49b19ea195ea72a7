package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The write path's shortcuts in the codec (an unsynchronized {@link Writer}, ASCII text copied
 * without a charset coder, a counter written straight from its table) produce exactly the bytes the
 * general path does, and refuse exactly what it refuses. The golden vectors pin the formats; these
 * pin the shortcuts against the slow path on the inputs where they part ways.
 */
class TextCodingFastPathTest {
  private static final List<String> TEXTS =
      List.of("a", "node-c", "\u007f", "é", "aé", "\u00ff", "\u0800", "\uD83D\uDE00", "x".repeat(300));

  @Test
  void writerUtf8EqualsALengthThenTheStrictEncoding() {
    for (String text : TEXTS) {
      Writer fast = new Writer();
      fast.utf8(text, "node");
      Writer slow = new Writer();
      slow.bytes(text.getBytes(StandardCharsets.UTF_8)); // no lone surrogates in TEXTS
      assertThat(fast.toByteArray()).as(text).isEqualTo(slow.toByteArray());
    }
  }

  @Test
  void aLoneSurrogateIsRefusedByEveryPath() {
    assertThatThrownBy(() -> new Writer().utf8("a\uD800", "node"))
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> Utf8.length("\uDC00b", "node"))
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> Utf8.encode("\uD800", "node"))
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void lengthCountsUtf8BytesNotChars() {
    for (String text : TEXTS) {
      assertThat(Utf8.length(text, "t")).as(text)
          .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
    assertThat(ReplicaId.of("é".repeat(127)).node()).hasSize(127); // 254 bytes
  }

  @Test
  void decodeOfAsciiAndOfOtherTextGivesBackTheText() {
    for (String text : TEXTS) {
      assertThat(Utf8.decode(text.getBytes(StandardCharsets.UTF_8), "t")).isEqualTo(text);
    }
    assertThatThrownBy(() -> Utf8.decode(new byte[] {'a', (byte) 0xc3}, "node"))
        .isInstanceOf(CrdtDecodeException.class);
  }

  @Test
  void aWriterGrowsPastItsFirstBufferWithoutLosingBytes() {
    Writer out = new Writer();
    byte[] big = new byte[1000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    for (int i = 0; i < 100; i++) {
      out.u8(i);
    }
    out.varint(Long.MAX_VALUE);
    out.bytes(big);
    out.fixed64(0x0102030405060708L);
    Reader in = new Reader(out.toByteArray(), DecodeLimits.DEFAULT);
    for (int i = 0; i < 100; i++) {
      assertThat(in.u8("b")).isEqualTo(i);
    }
    assertThat(in.varint("v")).isEqualTo(Long.MAX_VALUE);
    assertThat(in.bytes("big", 1000)).isEqualTo(big);
    assertThat(in.fixed64("f")).isEqualTo(0x0102030405060708L);
  }

  @Test
  void aCounterWrittenFromItsTableEqualsItsFourVectorsWrittenOneByOne() {
    PNCounter c = new PNCounter();
    c.mergeFrom(c.increment(ReplicaId.of("b"), 7));
    c.mergeFrom(c.decrement(new ReplicaId("a", 2), 3));
    c.mergeFrom(c.reset(ReplicaId.of("b")));
    c.mergeFrom(c.increment(ReplicaId.of("é"), 1));
    Writer fromTable = new Writer();
    PNCounterCodec.write(fromTable, c);
    Writer fromVectors = new Writer();
    for (VersionVector v : c.vectorsView()) {
      CausalCodec.writeVector(fromVectors, v);
    }
    assertThat(fromTable.toByteArray()).isEqualTo(fromVectors.toByteArray());
  }
}
