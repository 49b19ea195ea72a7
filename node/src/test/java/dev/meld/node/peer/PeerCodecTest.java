package dev.meld.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.Part;
import dev.meld.antientropy.SyncMessage;
import dev.meld.antientropy.SyncRecord;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.store.Props;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The peer wire format: round trips, every truncation, limits before allocation, golden frames. */
class PeerCodecTest {

  private final PeerCodec codec = new PeerCodec(1 << 20);

  /** A random message of any type, built from {@code seed}. */
  static PeerMessage message(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ReplicaId id = new ReplicaId(name(r), r.nextLong(Long.MAX_VALUE));
    long stamp = r.nextLong(Long.MAX_VALUE);
    switch (r.nextInt(7)) {
      case 0:
        return new PeerMessage.Ping(name(r), id, stamp);
      case 1:
        return new PeerMessage.Pong(
            name(r), id, stamp, new ReplicaId(name(r), r.nextInt(3)), r.nextLong(1 << 20));
      case 2:
        List<PeerMessage.Entry> entries = new ArrayList<>();
        long first = 1 + r.nextLong(1L << 40);
        for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
          entries.add(new PeerMessage.Entry(first + i, bytes(r, 20), bytes(r, 60)));
        }
        return new PeerMessage.ReplicateBatch(id, entries, stamp);
      case 3:
        return new PeerMessage.ReplicateAck(
            id, new ReplicaId(name(r), r.nextInt(3)), r.nextLong(Long.MAX_VALUE));
      case 4:
        return new PeerMessage.LogGap(id, 2 + r.nextLong(1L << 40));
      case 5:
        return new PeerMessage.MemberSet(id, bytes(r, 80));
      default:
        long session = r.nextLong();
        SyncMessage m =
            switch (r.nextInt(3)) {
              case 0 ->
                  new SyncMessage.Hello(
                      session,
                      r.nextLong(1 << 30),
                      r.nextLong(),
                      4,
                      4,
                      8,
                      new Digest(r.nextLong(), 7));
              case 1 -> new SyncMessage.Abort(session, "timeout " + r.nextInt(1000));
              default ->
                  new SyncMessage.Round(
                      session,
                      1 + r.nextInt(50),
                      true,
                      r.nextBoolean(),
                      List.of(
                          new Part.Records(
                              List.of(
                                  new SyncRecord(
                                      bytes(r, 10).toByteArray(), bytes(r, 30).toByteArray())))));
            };
        return new PeerMessage.SyncEnvelope(session, r.nextBoolean(), m);
    }
  }

  private static String name(SplittableRandom r) {
    String[] names = {"a", "node-1", "n\u00e9ud", "\u8282\u70b9", "x".repeat(200)};
    return names[r.nextInt(names.length)];
  }

  private static Bytes bytes(SplittableRandom r, int max) {
    byte[] b = new byte[r.nextInt(max + 1)];
    r.nextBytes(b);
    return Bytes.of(b);
  }

  @Test
  void roundTripIsExactBothWays() {
    // Law: decode(encode(m)) equals m, and encode(decode(frame)) is the same frame.
    Props.check(
        "PeerCodecTest#roundTripIsExactBothWays",
        qt ->
            qt.forAll(longs().all())
                .checkAssert(
                    seed -> {
                      PeerMessage m = message(seed);
                      byte[] frame = codec.encode(m);
                      PeerMessage back = decode(frame);
                      assertThat(back).isEqualTo(m);
                      assertThat(codec.encode(back)).isEqualTo(frame);
                    }));
  }

  @Test
  void everyTruncationAndAnyTrailingByteIsRejected() {
    // Law: no proper prefix of a frame, and no frame with a byte appended, decodes.
    Props.check(
        "PeerCodecTest#everyTruncationAndAnyTrailingByteIsRejected",
        qt ->
            qt.withExamples(Math.max(1, Props.examples() / 10))
                .forAll(longs().all())
                .checkAssert(
                    seed -> {
                      byte[] frame = codec.encode(message(seed));
                      for (int length = 0; length < frame.length; length++) {
                        byte[] cut = Arrays.copyOf(frame, length);
                        assertThatThrownBy(() -> codec.decode(cut))
                            .as("prefix of %d/%d bytes", length, frame.length)
                            .isInstanceOf(PeerProtocolException.class);
                      }
                      byte[] longer = Arrays.copyOf(frame, frame.length + 1);
                      assertThatThrownBy(() -> codec.decode(longer))
                          .isInstanceOf(PeerProtocolException.class)
                          .hasMessageContaining("trailing bytes: 1");
                    }));
  }

  private PeerMessage decode(byte[] frame) {
    try {
      return codec.decode(frame);
    } catch (PeerProtocolException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aHugeEntryCountIsRejectedBeforeAllocating() {
    byte[] frame =
        ByteBuffer.allocate(2 + 2 + 8 + 8 + 8 + 4)
            .put((byte) PeerCodec.VERSION)
            .put((byte) PeerCodec.BATCH)
            .put((byte) 1)
            .put((byte) 'a')
            .putLong(1)
            .putLong(0)
            .putLong(1)
            .putInt(Integer.MAX_VALUE)
            .array();
    assertThatThrownBy(() -> codec.decode(frame))
        .isInstanceOf(PeerProtocolException.class)
        .hasMessage("entry count: 2147483647 (expected: <= 0 for the bytes remaining)");
  }

  @Test
  void aHugeBlobLengthIsRejectedBeforeAllocating() {
    byte[] ok =
        codec.encode(
            new PeerMessage.ReplicateBatch(
                ReplicaId.of("a"),
                List.of(new PeerMessage.Entry(1, Bytes.utf8("k"), Bytes.utf8("d"))),
                0));
    // the key length field follows version, type, rid (1 + 1 + 8), hlc, firstSeq and count
    int at = 2 + 10 + 8 + 8 + 4;
    ByteBuffer.wrap(ok).putInt(at, -1);
    assertThatThrownBy(() -> codec.decode(ok))
        .isInstanceOf(PeerProtocolException.class)
        .hasMessageContaining("key length 4294967295: needs 4294967295 bytes");
  }

  @Test
  void badValuesAreRejectedWithTheValueAndTheExpectation() {
    byte[] ping = codec.encode(new PeerMessage.Ping("c", ReplicaId.of("a"), 5));
    byte[] version = ping.clone();
    version[0] = 2; // the format before MEMBERS messages
    assertThatThrownBy(() -> codec.decode(version)).hasMessage("version: 2 (expected: 3)");
    byte[] type = ping.clone();
    type[1] = 9;
    assertThatThrownBy(() -> codec.decode(type)).hasMessage("message type: 9 (expected: 1..7)");
    byte[] utf8 = ping.clone();
    utf8[3] = (byte) 0xC0; // the cluster name's only byte
    assertThatThrownBy(() -> codec.decode(utf8)).hasMessageContaining("malformed UTF-8");
    byte[] stamp = ping.clone();
    ByteBuffer.wrap(stamp).putLong(stamp.length - 8, -1);
    assertThatThrownBy(() -> codec.decode(stamp)).hasMessage("hlc: -1 (expected: >= 0)");
    byte[] tooLong = new byte[(1 << 20) + 1];
    assertThatThrownBy(() -> codec.decode(tooLong))
        .hasMessage("frame length: 1048577 (expected: <= 1048576)");
    assertThatThrownBy(() -> new PeerCodec(100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCorruptSyncFrameIsRejectedByItsChecksum() {
    byte[] frame =
        codec.encode(new PeerMessage.SyncEnvelope(7, true, new SyncMessage.Abort(7, "bye")));
    frame[frame.length - 6] ^= 1;
    assertThatThrownBy(() -> codec.decode(frame))
        .isInstanceOf(PeerProtocolException.class)
        .hasMessageStartingWith("sync frame: ");
  }

  @Test
  void goldenFramesPinTheFormat() throws IOException, PeerProtocolException {
    Properties golden = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/peer-golden-frames.properties")) {
      golden.load(in);
    }
    List<PeerMessage> messages = goldenMessages();
    assertThat(golden).hasSize(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      String hex = golden.getProperty("frame." + i);
      assertThat(HexFormat.of().formatHex(codec.encode(messages.get(i))))
          .as("frame." + i)
          .isEqualTo(hex);
      assertThat(codec.decode(HexFormat.of().parseHex(hex))).isEqualTo(messages.get(i));
    }
  }

  static List<PeerMessage> goldenMessages() {
    ReplicaId a = new ReplicaId("a", 1);
    return List.of(
        new PeerMessage.Ping("meld", a, 0x0102030405060708L),
        new PeerMessage.Pong("meld", new ReplicaId("b", 2), 9, a, 3),
        new PeerMessage.ReplicateBatch(
            a,
            List.of(
                new PeerMessage.Entry(5, Bytes.utf8("k"), Bytes.of((byte) 2, (byte) 1)),
                new PeerMessage.Entry(6, Bytes.utf8("kk"), Bytes.of((byte) 4))),
            10),
        new PeerMessage.ReplicateAck(new ReplicaId("b", 2), a, 6),
        new PeerMessage.LogGap(a, 7),
        new PeerMessage.SyncEnvelope(11, true, new SyncMessage.Abort(11, "x")),
        new PeerMessage.MemberSet(a, Bytes.of((byte) 3, (byte) 1)));
  }
}
