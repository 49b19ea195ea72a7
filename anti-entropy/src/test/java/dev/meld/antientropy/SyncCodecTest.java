package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Frames no encoder writes: each must be rejected with a message naming the value and the bound.
 */
class SyncCodecTest {

  private static final long ID = 0x0102030405060708L;
  private final SyncCodec codec = new SyncCodec();

  private static byte[] round(Messages.Body parts) {
    return Messages.frame(1, 2, ID, parts.bytes());
  }

  private static Messages.Body roundHeader(int partCount) {
    return new Messages.Body().varint(1).u8(1).varint(partCount);
  }

  private void rejects(byte[] frame, String... fragments) {
    assertThatThrownBy(() -> codec.decode(frame))
        .isInstanceOf(SyncProtocolException.class)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void oversizedPartCountIsRejectedBeforeAllocating() {
    rejects(round(roundHeader(Integer.MAX_VALUE)), "part count: 2147483647", "expected: <=");
  }

  @Test
  void oversizedDigestCountIsRejectedBeforeAllocating() {
    rejects(
        round(roundHeader(1).u8(1, 8, 16, 8).varint(1L << 40)),
        "segment count: 1099511627776",
        "expected: <=");
  }

  @Test
  void oversizedFingerprintCountIsRejectedBeforeAllocating() {
    rejects(
        round(roundHeader(1).u8(2, 4).varint(3).u8(8).varint(Integer.MAX_VALUE)),
        "fingerprint count: 2147483647",
        "expected: <=");
  }

  @Test
  void oversizedRecordCountAndKeyLengthAreRejectedBeforeAllocating() {
    rejects(round(roundHeader(1).u8(4).varint(1L << 62)), "record count", "expected: <=");
    rejects(
        round(roundHeader(1).u8(4).varint(1).varint(1 << 30)),
        "key length: 1073741824",
        "expected: <=");
  }

  @Test
  void oversizedReasonIsRejected() {
    byte[] body = new Messages.Body().varint(2000).bytes();
    rejects(Messages.frame(1, 3, ID, body), "reason length: 2000", "expected: <= 1024");
  }

  @Test
  void oversizedFrameIsRejectedBeforeReadingIt() {
    SyncCodec small = new SyncCodec(1024);
    assertThatThrownBy(() -> small.decode(new byte[1025]))
        .isInstanceOf(SyncProtocolException.class)
        .hasMessageContaining("frame length: 1025 (expected: 14..1024)");
  }

  @Test
  void unknownVersionTypeAndKindAreRejected() {
    rejects(Messages.frame(2, 2, ID, roundHeader(0).bytes()), "version: 2 (expected: 1)");
    rejects(Messages.frame(1, 9, ID, new byte[0]), "message type: 9");
    rejects(round(roundHeader(1).u8(10, 0)), "part kind: 10 (expected: 1..9)");
  }

  @Test
  void bodyBytesAfterTheMessageAreRejected() {
    rejects(round(roundHeader(0).u8(0)), "trailing bytes: 1");
  }

  @Test
  void nonCanonicalEncodingsAreRejected() {
    rejects(round(new Messages.Body().u8(0x81, 0x00).u8(1).varint(0)), "not in shortest form");
    rejects(round(new Messages.Body().varint(1).u8(2).varint(0)), "flags: 2");
    rejects(
        round(roundHeader(1).u8(1, 4, 8, 1).varint(2).varint(3).varint(0).u8(new int[32])),
        "not strictly increasing");
    rejects(
        round(roundHeader(1).u8(1, 4, 8, 1).varint(1).varint(16).u8(new int[16])), "prefix: 0x10");
    rejects(round(roundHeader(1).u8(2, 4).varint(16).u8(8).varint(0)), "segment prefix: 0x10");
    rejects(round(roundHeader(1).u8(1, 4, 13, 1)), "child bits: 13 (expected: 5..12)");
    rejects(round(roundHeader(1).u8(2, 4).varint(1).u8(9)), "width: 9 (expected: 1..8)");
  }

  @Test
  void malformedUtf8ReasonIsRejected() {
    byte[] body = new Messages.Body().varint(2).u8(0xc3, 0x28).bytes();
    rejects(Messages.frame(1, 3, ID, body), "reason: not valid UTF-8");
  }

  @Test
  void encodingPastTheFrameLimitFailsLoudly() {
    SyncCodec small = new SyncCodec(64);
    SyncMessage big =
        new SyncMessage.Round(
            ID,
            1,
            true,
            true,
            List.of(new Part.Records(List.of(new SyncRecord(new byte[10], new byte[100])))));
    assertThatThrownBy(() -> small.encode(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: <= 64)");
  }

  @Test
  void oversizedSymbolCountIsRejectedBeforeAllocating() {
    rejects(
        round(
            roundHeader(1)
                .u8(8)
                .varint(1)
                .u8('k')
                .varint(5)
                .varint(0)
                .u8(new int[8])
                .varint(60_000)),
        "symbol count: 60000",
        "expected: <=");
    rejects(
        round(roundHeader(1).u8(8).varint(1).u8('k').varint(5).varint(65_000).varint(1000)),
        "symbols from 65000, count 1000 (expected: at least 1, within 0..65536)");
    rejects(
        round(
            roundHeader(1).u8(8).varint(1).u8('k').varint(5).varint(0).u8(new int[8]).varint(0)),
        "symbols from 0, count 0");
    rejects(
        round(roundHeader(1).u8(9).varint(1).u8('k').varint(70_000)),
        "symbols up to: 70000 (expected: 1..65536)");
  }

  /** The wire format is pinned: these frames must decode, and encode, byte for byte. */
  @Test
  void goldenFramesPinTheFormat() throws Exception {
    Map<String, SyncMessage> expected = new LinkedHashMap<>();
    expected.put(
        "hello",
        new SyncMessage.Hello(ID, 1000, 0x1122334455667788L, 4, 4, 8, new Digest(0xaaL, 0xbbL)));
    expected.put(
        "round",
        new SyncMessage.Round(
            ID,
            3,
            true,
            false,
            List.of(
                new Part.Digests(4, 8, 2, new long[] {1, 9}, new long[32]),
                new Part.Entries(new Segment(8, 0xab), 8, new long[] {-1L}),
                new Part.Request(new Segment(64, -2L), 1, new long[] {0x7f}),
                new Part.Probe(5, new Digest(6, 7)),
                new Part.Records(
                    List.of(
                        new SyncRecord(
                            "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}))))));
    expected.put(
        "symbols",
        new SyncMessage.Round(
            ID,
            4,
            false,
            false,
            List.of(
                new Part.KeySymbols(
                    "k".getBytes(StandardCharsets.UTF_8),
                    300,
                    0,
                    2,
                    new int[] {255, 1},
                    new long[] {-1L, 0x0102030405060708L},
                    new long[] {7, 0}),
                new Part.MoreSymbols("k".getBytes(StandardCharsets.UTF_8), 200),
                new Part.KeySymbols(
                    "k".getBytes(StandardCharsets.UTF_8),
                    2,
                    0x1112131415161718L,
                    0,
                    new int[] {3},
                    new long[] {9},
                    new long[] {10}))));
    expected.put("abort", new SyncMessage.Abort(ID, "timeout waiting for round 5"));
    Properties golden = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/sync-golden-frames.properties")) {
      golden.load(in);
    }
    HexFormat hex = HexFormat.of();
    for (Map.Entry<String, SyncMessage> e : expected.entrySet()) {
      byte[] frame = hex.parseHex(golden.getProperty(e.getKey()));
      assertThat(codec.decode(frame)).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(hex.formatHex(codec.encode(e.getValue())))
          .as(e.getKey())
          .isEqualTo(golden.getProperty(e.getKey()));
    }
  }
}
