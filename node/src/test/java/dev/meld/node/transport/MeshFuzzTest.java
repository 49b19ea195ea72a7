package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meld.node.peer.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Any bytes a peer may send: the frame decoder and the handshake never fail any other way than by
 * refusing (an ERROR frame and a closed connection), never leak a buffer, and deliver messages only
 * from an established, registered peer. Any handshake payload either is rejected with a {@link
 * MeshFrameException} or decodes to a value that re-encodes to exactly the input.
 *
 * <p>Three targets: {@link #frames} is the frame decoder alone (fast: it is the campaign that
 * reaches 10^7 executions), {@link #handshakePayloads} the handshake codec alone, and {@link
 * #connection} the whole accepted connection (Netty pipeline, handshake, registry), which is
 * slow, about a thousand inputs a second, and is run for minutes rather than to 10^7.
 *
 * <p>Under {@code mvn verify} each runs in regression mode on the seeds in {@code
 * src/test/resources/dev/meld/node/transport/MeshFuzzTestInputs/<target>/}. To fuzz for real:
 * {@code just fuzz node 'MeshFuzzTest#frames'} (node/README.md, "Fuzzing").
 */
class MeshFuzzTest {

  private static final MeshConfig CONFIG =
      MeshConfig.builder("c", "b", 9).maxFrameBytes(4096).queueLimitBytes(1 << 16).build();

  private static final int[] TYPES = {
    MeshFrame.HELLO, MeshFrame.PROOF, MeshFrame.ERROR, MeshFrame.HEARTBEAT, MeshFrame.MESSAGE
  };

  /** What the decoder may hold at once: a frame and a read, rounded up to powers of two. */
  static final long MAX_HELD_BYTES = 4L * (MeshFrame.HEADER_BYTES + 4096 + 64);

  /**
   * The frame decoder alone. The first byte picks the frame types the phase allows (bits 0-4), the
   * second the read size (1 to 64); the rest is the stream. The frames that come out, written
   * back, are exactly a prefix of the stream, each of an allowed type and within its type's
   * limit; what is left over is a proper prefix of one frame; a failure is a {@link
   * MeshFrameException} that says why, after which the decoder takes nothing more; no buffer is
   * leaked (counted exactly on the channel's allocator) and no more than {@link #MAX_HELD_BYTES}
   * is ever held, whatever length the peer wrote.
   */
  @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
  void frames(byte[] input) {
    if (input.length < 2) {
      return;
    }
    List<Integer> allowed = new ArrayList<>();
    for (int bit = 0; bit < TYPES.length; bit++) {
      if ((input[0] & (1 << bit)) != 0) {
        allowed.add(TYPES[bit]);
      }
    }
    if (allowed.isEmpty()) {
      allowed.add(MeshFrame.MESSAGE);
    }
    int readSize = 1 + (input[1] & 63);
    int maxFrame = CONFIG.maxFrameBytes();
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    ch.pipeline()
        .addLast(
            new FrameDecoder(
                maxFrame, "in the fuzz test", allowed.stream().mapToInt(t -> t).toArray()));
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    boolean failed = false;
    for (int at = 2; at < input.length; at += readSize) {
      int n = Math.min(readSize, input.length - at);
      boolean refusedNow = false;
      try {
        ch.writeInbound(alloc.heapBuffer(n).writeBytes(input, at, n));
      } catch (DecoderException e) {
        assertThat(e).as("a decoder failure is a refusal").isInstanceOf(MeshFrameException.class);
        assertThat(e.getMessage()).as("a refusal says why").isNotBlank();
        assertThat(failed).as("refused twice").isFalse();
        refusedNow = true;
      }
      // Frames whole before the bad header in the same read still go up, ahead of the refusal.
      for (Frame f = ch.readInbound(); f != null; f = ch.readInbound()) {
        assertThat(failed).as("%s after a refusal", f).isFalse();
        assertThat(allowed).as("type of %s", f).contains(f.type());
        assertThat(f.payload().length).isLessThanOrEqualTo(MeshFrame.maxPayload(f.type(), maxFrame));
        decoded.writeBytes(f.toBytes());
      }
      failed |= refusedNow;
      assertThat(alloc.metric().usedHeapMemory())
          .as("bytes held by the decoder")
          .isLessThanOrEqualTo(MAX_HELD_BYTES);
    }
    byte[] stream = java.util.Arrays.copyOfRange(input, 2, input.length);
    byte[] frames = decoded.toByteArray();
    assertThat(frames.length).isLessThanOrEqualTo(stream.length);
    assertThat(java.util.Arrays.copyOf(stream, frames.length))
        .as("the frames, written back, are the start of the stream")
        .isEqualTo(frames);
    int left = stream.length - frames.length;
    if (!failed && left >= MeshFrame.HEADER_BYTES) {
      long length =
          java.nio.ByteBuffer.wrap(stream, frames.length + 4, 4).getInt() & 0xFFFFFFFFL;
      assertThat(left).as("bytes left over, undecoded").isLessThan(MeshFrame.HEADER_BYTES + (int) length);
    }
    ch.finishAndReleaseAll();
    assertThat(alloc.metric().usedHeapMemory()).as("bytes leaked").isZero();
  }

  /** Feeds {@code input} to an accepted connection, in chunks whose size its length picks. */
  @FuzzTest(maxDuration = "5m")
  void connection(byte[] input) {
    CheckingListener listener = new CheckingListener();
    MeshContext mesh = new MeshContext(CONFIG, listener);
    listener.mesh = mesh;
    EmbeddedChannel ch = PeerConnectionTest.accepted(mesh);
    int chunk = 1 + input.length % 37;
    for (int at = 0; at < input.length && ch.isOpen(); at += chunk) {
      ch.writeInbound(Unpooled.copiedBuffer(input, at, Math.min(chunk, input.length - at)));
    }
    assertThat(listener.violation).as("a message from a peer not established").isNull();
    long refusals = mesh.counters().closedByReason().values().stream().mapToLong(n -> n).sum();
    if (refusals > 0) {
      assertThat(ch.isOpen()).as("a refused connection is closed").isFalse();
    }
    ch.close();
    for (ByteBuf out = ch.readOutbound(); out != null; out = ch.readOutbound()) {
      out.release();
    }
    ch.finishAndReleaseAll();
    assertThat(mesh.stats()).as("nothing left registered").isEmpty();
  }

  /** Checks, as each message arrives, that it comes from an established, registered peer. */
  private static final class CheckingListener implements MeshListener {
    MeshContext mesh;

    String violation;

    // Records rather than throws: the connection would take a throw for a fault of its own.
    @Override
    public void onMessage(String fromNode, PeerMessage message) {
      PeerLinkStats peer = mesh.stats().get(fromNode);
      if (peer == null || peer.inboundConnections() != 1) {
        violation = message + " from " + fromNode + ", whose stats are " + peer;
      }
    }
  }

  /** Decodes {@code input} as each handshake payload; whatever is accepted re-encodes exactly. */
  @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
  void handshakePayloads(byte[] input) {
    try {
      HandshakeCodec.Hello hello = HandshakeCodec.decodeHello(input);
      assertThat(HandshakeCodec.encodeHello(hello)).isEqualTo(input);
    } catch (MeshFrameException rejected) {
      saysWhy(rejected);
    }
    try {
      HandshakeCodec.ErrorNotice error = HandshakeCodec.decodeError(input);
      assertThat(HandshakeCodec.encodeError(error)).isEqualTo(input);
    } catch (MeshFrameException rejected) {
      saysWhy(rejected);
    }
    try {
      assertThat(HandshakeCodec.decodeProof(input)).isSameAs(input);
    } catch (MeshFrameException rejected) {
      saysWhy(rejected);
    }
  }

  private static void saysWhy(MeshFrameException rejected) {
    assertThat(rejected.getMessage()).as("a refusal says why").isNotBlank();
    assertThat(rejected.refusal()).isNotNull();
  }
}
