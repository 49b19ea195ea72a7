package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.node.store.Props;
import dev.meld.node.testing.NoLeaks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;

/** The frame decoder: round trips, resumability, and every header check before allocation. */
@ExtendWith(NoLeaks.class)
class FrameDecoderTest {

  private static final int[] ALL = {
    MeshFrame.HELLO, MeshFrame.PROOF, MeshFrame.ERROR, MeshFrame.HEARTBEAT, MeshFrame.MESSAGE
  };

  private static EmbeddedChannel channel(int maxFrameBytes, int... types) {
    return new EmbeddedChannel(new FrameDecoder(maxFrameBytes, "in this test", types));
  }

  private static List<Frame> sample() {
    return List.of(
        new Frame(MeshFrame.HELLO, new byte[] {1, 2, 3}),
        new Frame(MeshFrame.PROOF, new byte[32]),
        new Frame(MeshFrame.HEARTBEAT, Frame.EMPTY),
        new Frame(MeshFrame.MESSAGE, new byte[5000]),
        new Frame(MeshFrame.MESSAGE, Frame.EMPTY),
        new Frame(MeshFrame.ERROR, new byte[] {7, 'n', 'o'}));
  }

  private static byte[] concat(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(f -> out.writeBytes(f.toBytes()));
    return out.toByteArray();
  }

  private static List<Frame> readAll(EmbeddedChannel ch) {
    List<Frame> out = new ArrayList<>();
    for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
      out.add((Frame) o);
    }
    return out;
  }

  @Test
  void framesRoundTripWhole() {
    EmbeddedChannel ch = channel(1 << 16, ALL);
    ch.writeInbound(Unpooled.wrappedBuffer(concat(sample())));
    assertThat(readAll(ch)).containsExactlyElementsOf(sample());
    assertFalse(ch.finish());
  }

  @Test
  void framesRoundTripOneByteAtATime() {
    EmbeddedChannel ch = channel(1 << 16, ALL);
    byte[] bytes = concat(sample());
    List<Frame> seen = new ArrayList<>();
    for (int i = 0; i < bytes.length; i++) {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
      List<Frame> now = readAll(ch);
      // A frame comes out exactly when its last byte has arrived, never earlier.
      int endOfNext = endOf(sample(), seen.size());
      assertThat(now).hasSize(i + 1 == endOfNext ? 1 : 0);
      seen.addAll(now);
    }
    assertThat(seen).containsExactlyElementsOf(sample());
    assertFalse(ch.finish());
  }

  private static int endOf(List<Frame> frames, int index) {
    int end = 0;
    for (int i = 0; i <= index && i < frames.size(); i++) {
      end += frames.get(i).toBytes().length;
    }
    return end;
  }

  /** Property: any sequence of frames, cut into any chunks, decodes to the same sequence. */
  @Test
  void anyFramesCutAnywhereDecodeToTheSameFrames() {
    Props.check(
        getClass().getSimpleName() + "#anyFramesCutAnywhereDecodeToTheSameFrames",
        qt ->
            qt.forAll(lists().of(frame()).ofSizeBetween(0, 8), integers().all())
                .checkAssert(
                    (frames, cutSeed) -> {
                      byte[] bytes = concat(frames);
                      EmbeddedChannel ch = channel(4096, ALL);
                      SplittableRandom cuts = new SplittableRandom(cutSeed);
                      for (int at = 0; at < bytes.length; ) {
                        int n = Math.min(bytes.length - at, 1 + cuts.nextInt(64));
                        ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
                        at += n;
                      }
                      assertThat(readAll(ch)).containsExactlyElementsOf(frames);
                      assertFalse(ch.finish());
                    }));
  }

  private static Gen<Frame> frame() {
    Gen<Integer> type = integers().between(0, ALL.length - 1).map(i -> ALL[i]);
    return type.flatMap(
        t ->
            integers()
                .between(0, t == MeshFrame.HEARTBEAT ? 0 : t == MeshFrame.MESSAGE ? 4096 : 1024)
                .zip(integers().all(), (length, seed) -> randomFrame(t, length, seed)));
  }

  private static Frame randomFrame(int type, int length, int seed) {
    byte[] payload = new byte[length];
    new SplittableRandom(seed).nextBytes(payload);
    return new Frame(type, payload);
  }

  @Test
  void anOversizedLengthIsRejectedBeforeAnythingIsAllocatedForIt() {
    RecordingAllocator alloc = new RecordingAllocator();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    ch.pipeline().addLast(new FrameDecoder(1024, "in this test", MeshFrame.MESSAGE));
    byte[] header = {(byte) 0xED, 0x1D, (byte) MeshFrame.VERSION, (byte) MeshFrame.MESSAGE, (byte) 0xFF, -1, -1, -1};
    for (int i = 0; i < header.length - 1; i++) {
      ch.writeInbound(Unpooled.wrappedBuffer(header, i, 1));
    }
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(header, 7, 1)))
        .isInstanceOf(MeshFrameException.class)
        .hasMessage("frame length: 4294967295 (expected: <= 1024 for a MESSAGE frame)");
    assertThat(alloc.largest).as("largest buffer requested").isLessThan(256);
    // Whatever follows is discarded: the connection is being closed.
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[100_000]));
    assertThat(readAll(ch)).isEmpty();
    assertThat(alloc.largest).isLessThan(256);
    assertFalse(ch.finish());
  }

  @Test
  void aControlFrameLongerThanItsLimitIsRejectedAtItsHeader() {
    EmbeddedChannel ch = channel(1 << 20, ALL);
    byte[] hello = {(byte) 0xED, 0x1D, (byte) MeshFrame.VERSION, 1, 0, 0, 4, 1};
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(hello)))
        .hasMessage("frame length: 1025 (expected: <= 1024 for a HELLO frame)");
    EmbeddedChannel ch2 = channel(1 << 20, ALL);
    byte[] heartbeat = {(byte) 0xED, 0x1D, (byte) MeshFrame.VERSION, 4, 0, 0, 0, 1};
    assertThatThrownBy(() -> ch2.writeInbound(Unpooled.wrappedBuffer(heartbeat)))
        .hasMessage("frame length: 1 (expected: <= 0 for a HEARTBEAT frame)");
    assertFalse(ch.finish());
    assertFalse(ch2.finish());
  }

  @Test
  void aWrongFirstByteFailsAtOnce() {
    EmbeddedChannel ch = channel(4096, ALL);
    // What redis-cli sends first, on the wrong port.
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'*'})))
        .isInstanceOf(MeshFrameException.class)
        .hasMessage("frame magic byte: 0x2A (expected: 0xED; not a Meld mesh stream)");
    assertFalse(ch.finish());
  }

  @Test
  void aWrongSecondMagicByteFails() {
    EmbeddedChannel ch = channel(4096, ALL);
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xED, 0})))
        .hasMessage("frame magic byte: 0x00 (expected: 0x1D; not a Meld mesh stream)");
    assertFalse(ch.finish());
  }

  @Test
  void anotherVersionIsRefusedAsAVersionMismatch() {
    EmbeddedChannel ch = channel(4096, ALL);
    MeshFrameException e = catchFrom(ch, new byte[] {(byte) 0xED, 0x1D, 1, 1, 0, 0, 0, 0});
    assertThat(e.refusal()).isEqualTo(Refusal.VERSION);
    assertThat(e).hasMessage("frame version: 1 (expected: 2)");
    assertFalse(ch.finish());
  }

  @Test
  void unknownAndUnexpectedTypesAreRejected() {
    EmbeddedChannel ch = channel(4096, ALL);
    assertThat(catchFrom(ch, new byte[] {(byte) 0xED, 0x1D, (byte) MeshFrame.VERSION, 9}))
        .hasMessage("frame type: 9 (expected: a known type)");
    EmbeddedChannel awaiting = channel(4096, MeshFrame.HELLO, MeshFrame.ERROR);
    assertThat(catchFrom(awaiting, new Frame(MeshFrame.MESSAGE, new byte[3]).toBytes()))
        .hasMessage("frame type: MESSAGE (expected: HELLO or ERROR in this test)");
    assertFalse(ch.finish());
    assertFalse(awaiting.finish());
  }

  @Test
  void expectingOtherTypesTakesEffectForTheNextFrame() {
    FrameDecoder decoder = new FrameDecoder(4096, "first", MeshFrame.HELLO);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    ch.writeInbound(Unpooled.wrappedBuffer(new Frame(MeshFrame.HELLO, new byte[2]).toBytes()));
    assertThat(readAll(ch)).hasSize(1);
    decoder.expect("later", MeshFrame.MESSAGE);
    ch.writeInbound(Unpooled.wrappedBuffer(new Frame(MeshFrame.MESSAGE, new byte[2]).toBytes()));
    assertThat(readAll(ch)).hasSize(1);
    assertThat(catchFrom(ch, new Frame(MeshFrame.HELLO, new byte[2]).toBytes()))
        .hasMessage("frame type: HELLO (expected: MESSAGE later)");
    assertFalse(ch.finish());
  }

  @Test
  void aTruncatedFrameAtCloseYieldsNothingAndLeaksNothing() {
    EmbeddedChannel ch = channel(4096, ALL);
    byte[] bytes = new Frame(MeshFrame.MESSAGE, new byte[100]).toBytes();
    ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, 50));
    assertFalse(ch.finish());
  }

  private static MeshFrameException catchFrom(EmbeddedChannel ch, byte[] bytes) {
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    } catch (MeshFrameException e) {
      return e;
    }
    throw new AssertionError("expected a MeshFrameException");
  }

  /** Remembers the largest buffer anyone asked it for. */
  static final class RecordingAllocator extends io.netty.buffer.AbstractByteBufAllocator {
    private final ByteBufAllocator real = io.netty.buffer.UnpooledByteBufAllocator.DEFAULT;
    volatile int largest;

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      largest = Math.max(largest, initialCapacity);
      return real.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      largest = Math.max(largest, initialCapacity);
      return real.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  // Secret mode: frames followed by their FrameMac tags.

  private static final byte[] SECRET = "a cluster secret of 32 bytes....".getBytes();
  private static final byte[] NONCE_D = new byte[16];
  private static final byte[] NONCE_A = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

  private static FrameMac mac() {
    return FrameMac.derive(SECRET, NONCE_D, NONCE_A, FrameMac.DIALER_TO_ACCEPTOR);
  }

  private static List<byte[]> sealed(List<Frame> frames) {
    FrameMac sender = mac();
    List<byte[]> out = new ArrayList<>();
    for (Frame f : frames) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(f.toBytes());
      b.writeBytes(sender.next(f.type(), f.payload()));
      out.add(b.toByteArray());
    }
    return out;
  }

  private static EmbeddedChannel sealedChannel() {
    FrameDecoder decoder = new FrameDecoder(1 << 16, "in this test", ALL);
    decoder.authenticate(mac());
    return new EmbeddedChannel(decoder);
  }

  @Test
  void sealedFramesRoundTripOneByteAtATimeAndComeOutOnlyWithTheirLastTagByte() {
    EmbeddedChannel ch = sealedChannel();
    List<byte[]> frames = sealed(sample());
    List<Frame> seen = new ArrayList<>();
    for (byte[] frame : frames) {
      for (int i = 0; i < frame.length; i++) {
        ch.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
        List<Frame> now = readAll(ch);
        assertThat(now).hasSize(i == frame.length - 1 ? 1 : 0);
        seen.addAll(now);
      }
    }
    assertThat(seen).containsExactlyElementsOf(sample());
    assertFalse(ch.finish());
  }

  @Test
  void aSealedFrameWithOneBitChangedAnywhereIsRefusedAsAnAuthFailure() {
    byte[] whole = sealed(List.of(new Frame(MeshFrame.MESSAGE, new byte[] {1, 2, 3}))).get(0);
    // Every byte after the header's checked fields: length excluded (it would change the framing).
    for (int at = MeshFrame.HEADER_BYTES; at < whole.length; at++) {
      byte[] bad = whole.clone();
      bad[at] ^= 0x40;
      EmbeddedChannel ch = sealedChannel();
      MeshFrameException e = catchFrom(ch, bad);
      assertThat(e.refusal()).isEqualTo(Refusal.AUTH);
      assertThat(e.getMessage()).startsWith("frame MAC mismatch: frame 0 (MESSAGE, 3 bytes)");
      assertFalse(ch.finish());
    }
  }

  @Test
  void aReplayedSealedFrameIsRefusedAtItsSecondArrival() {
    byte[] first = sealed(List.of(new Frame(MeshFrame.MESSAGE, new byte[] {9}))).get(0);
    EmbeddedChannel ch = sealedChannel();
    ch.writeInbound(Unpooled.wrappedBuffer(first));
    assertThat(readAll(ch)).hasSize(1);
    MeshFrameException e = catchFrom(ch, first);
    assertThat(e.getMessage()).startsWith("frame MAC mismatch: frame 1 (MESSAGE, 1 bytes)");
    assertFalse(ch.finish());
  }

  @Test
  void aSealedFrameIsStillRejectedAtItsHeaderWhenTooLong() {
    EmbeddedChannel ch = sealedChannel();
    byte[] header = {(byte) 0xED, 0x1D, (byte) MeshFrame.VERSION, (byte) MeshFrame.MESSAGE, 0x7F, -1, -1, -1};
    MeshFrameException e = catchFrom(ch, header);
    assertThat(e.refusal()).isEqualTo(Refusal.PROTOCOL);
    assertThat(e.getMessage()).startsWith("frame length: 2147483647 (expected: <= 65536");
    assertFalse(ch.finish());
  }

  @Test
  void theTwoDirectionsAndTwoConnectionsHaveDifferentKeys() {
    Frame f = new Frame(MeshFrame.MESSAGE, new byte[] {1});
    byte[] tag = mac().next(f.type(), f.payload());
    assertThat(FrameMac.derive(SECRET, NONCE_D, NONCE_A, FrameMac.ACCEPTOR_TO_DIALER).next(f.type(), f.payload()))
        .isNotEqualTo(tag);
    assertThat(FrameMac.derive(SECRET, NONCE_A, NONCE_D, FrameMac.DIALER_TO_ACCEPTOR).next(f.type(), f.payload()))
        .isNotEqualTo(tag);
  }
}
