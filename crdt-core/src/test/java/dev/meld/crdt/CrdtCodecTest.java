package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decoder refuses everything but canonical encodings, with messages that say why. */
class CrdtCodecTest {
  private static final DecodeLimits SMALL = new DecodeLimits(64, 3, 4);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          empty input                    |                              | truncated: type tag needs 1 bytes at offset 0
          unknown tag                    | 090100                       | type tag: 0x09 (expected: one of 0x01 GCOUNTER
          unknown version                | 010200                       | format version of GCOUNTER: 2 (expected: 1)
          truncated vector entry         | 01010102616200               | truncated: slots[ab#0] needs 1 bytes at offset 7
          trailing byte                  | 01010000                     | trailing bytes: 1 after offset 3 (expected: none)
          redundant varint byte          | 01018000                     | has a redundant zero byte (expected: shortest form)
          varint past 63 bits            | 0101ffffffffffffffffff01     | runs past 9 bytes
          count over the bytes left      | 01017f                       | slots replicas: 127 entries of >= 4 bytes with 0 bytes left
          zero counter                   | 0101010161000000             | slots[a#0]: 0 (expected: >= 1)
          unsorted replicas              | 010102016200010161000101     | replica a#0 after b#0 (expected: strictly ascending)
          duplicate replicas             | 010102016100010161000101     | replica a#0 after a#0 (expected: strictly ascending)
          empty node name                | 0101010000 0100              | slots replica node: "" (expected: non-empty)
          invalid UTF-8 node             | 01010101ff0001               | slots replica node: 1 bytes that are not valid UTF-8
          RP above P                     | 0201000001016100010000       | RP[a#0]: 1 (expected: <= P[a#0] = 0)
          cloud dot next to the vector   | 0301010161000101016100010200 | cloud dot a#0:2 (expected: > vector + 1 = 1 + 1
          unsorted cloud dots            | 03010001016100020503 00      | cloud dot a#0:3 (expected: > 5
          empty cloud entry              | 030100010161000000           | cloud dots of a#0: 0 (expected: >= 1)
          dot outside the context        | 03010000010178010001         | dot replica: 0 (expected: < 0, a replica of the context)
          dot not seen by the context    | 030101016100010001017801 0002 | dot a#0:2 of element 0: not in the context
          element without dots           | 0301010161000100010178 0000  | dots of element 0: 0 (expected: >= 1)
          unsorted elements              | 0301010161000200020179010001017801 0002 | element 1: not above element 0
          dot in two elements            | 0301010161000100020178010001017901 0001 | already held by an earlier element
          unsorted dots of an element    | 0301010161000200010178020002 0001 | dot a#0:1 of element 0 after a#0:2
          unknown register kind          | 040103                       | register kind: 3 (expected: 0 empty, 1 value or 2 tombstone)
          negative stamp                 | 040102ff00000000000000016100 | stamp: -72057594037927936 (expected: >= 0)
          """)
  void rejectsNonCanonicalInput(String what, String hex, String message) {
    byte[] bytes = HexFormat.of().parseHex(hex == null ? "" : hex.replace(" ", ""));
    assertThatThrownBy(() -> CrdtCodec.decode(bytes, DecodeLimits.DEFAULT))
        .as(what)
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining(message);
  }

  @Test
  void limitsAreCheckedBeforeAllocating() {
    assertThatThrownBy(() -> CrdtCodec.decode(new byte[65], SMALL))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessage("input: 65 bytes (expected: <= 64)");
    // A count of 2^62 entries fails on the limit, not on an allocation.
    byte[] huge = HexFormat.of().parseHex("0101ffffffffffffffff3f");
    assertThatThrownBy(() -> CrdtCodec.decode(huge, DecodeLimits.DEFAULT))
        .hasMessage("slots replicas: 4611686018427387903 (expected: <= 1000000)");
    byte[] fourReplicas =
        CrdtCodec.encode(counterOf(ReplicaId.of("a"), ReplicaId.of("b"), ReplicaId.of("c"), ReplicaId.of("d")));
    assertThatThrownBy(() -> CrdtCodec.decode(fourReplicas, SMALL))
        .hasMessage("slots replicas: 4 (expected: <= 3)");
    Orswot<Bytes> set = Orswot.ofBytes();
    set.add(ReplicaId.of("a"), Bytes.utf8("12345"));
    assertThatThrownBy(() -> CrdtCodec.decode(CrdtCodec.encode(set), SMALL))
        .hasMessage("element length: 5 (expected: <= 4)");
    // A length past the end of the input is refused before the copy.
    byte[] longValue = HexFormat.of().parseHex("04010100000000000000010161" + "00" + "ff7f");
    assertThatThrownBy(() -> CrdtCodec.decode(longValue, DecodeLimits.DEFAULT))
        .hasMessageContaining("truncated: value needs 16383 bytes");
  }

  @Test
  void typedDecodersRefuseAnotherType() {
    byte[] counter = CrdtCodec.encode(new GCounter());
    assertThatThrownBy(() -> CrdtCodec.decodeOrswot(counter, ElementCodec.BYTES, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessage("type tag: 0x01 (expected: 0x03 ORSWOT)");
  }

  @Test
  void stringElementsMustBeValidUtf8() {
    Orswot<Bytes> set = Orswot.ofBytes();
    set.add(ReplicaId.of("a"), Bytes.of((byte) 0xc0, (byte) 0x80)); // overlong NUL
    byte[] bytes = CrdtCodec.encode(set);
    assertThat(CrdtCodec.decode(bytes, DecodeLimits.DEFAULT)).isEqualTo(set);
    assertThatThrownBy(() -> CrdtCodec.decodeOrswot(bytes, ElementCodec.UTF8, DecodeLimits.DEFAULT))
        .isInstanceOf(CrdtDecodeException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void everyMalformedFuzzSeedIsRejected() throws IOException {
    String dir = "/dev/meld/crdt/CrdtCodecFuzzTestInputs/decodeReencodes/";
    for (String name :
        List.of(
            "bad-cloud-contiguous", "bad-huge-count", "bad-invalid-utf8-node", "bad-lww-kind",
            "bad-lww-negative-stamp", "bad-orswot-dot-outside-context", "bad-redundant-varint-byte",
            "bad-trailing-byte", "bad-truncated-gcounter", "bad-unknown-tag", "bad-unknown-version",
            "bad-unsorted-replicas", "bad-zero-counter")) {
      try (InputStream in = getClass().getResourceAsStream(dir + name)) {
        assertThat(in).as(name).isNotNull();
        byte[] bytes = in.readAllBytes();
        assertThatThrownBy(() -> CrdtCodec.decode(bytes, DecodeLimits.DEFAULT))
            .as(name)
            .isInstanceOf(CrdtDecodeException.class);
      }
    }
  }

  @Test
  void everyStrictPrefixOfAnEncodingIsRejectedAsTruncated() {
    for (Crdt<?> state : GoldenStates.all().values()) {
      byte[] full = CrdtCodec.encode(state);
      for (int n = 0; n < full.length; n++) {
        byte[] prefix = java.util.Arrays.copyOf(full, n);
        assertThatThrownBy(() -> CrdtCodec.decode(prefix, DecodeLimits.DEFAULT))
            .as("%s cut to %d bytes", state, n)
            .isInstanceOf(CrdtDecodeException.class);
      }
    }
  }

  @Test
  void limitsThemselvesAreValidated() {
    assertThatThrownBy(() -> new DecodeLimits(0, 1, 1)).hasMessage("maxInputBytes: 0 (expected: >= 1)");
  }

  private static GCounter counterOf(ReplicaId... replicas) {
    GCounter counter = new GCounter();
    for (ReplicaId r : replicas) {
      counter.increment(r, 1);
    }
    return counter;
  }
}
