package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meld.node.peer.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Any bytes a peer may send: the frame decoder and the handshake never fail any other way than by
 * refusing (an ERROR frame and a closed connection), never leak a buffer, and deliver messages only
 * from an established, registered peer. Any handshake payload either is rejected with a {@link
 * MeshFrameException} or decodes to a value that re-encodes to exactly the input.
 *
 * <p>Under {@code mvn verify} it runs in regression mode on the seeds in {@code
 * src/test/resources/dev/meld/node/transport/MeshFuzzTestInputs/}. To fuzz for real: {@code just
 * fuzz-mesh} (or {@code JAZZER_FUZZ=1 mvn -B -pl node -am test -Dtest=MeshFuzzTest#connection
 * -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true}).
 */
class MeshFuzzTest {

  private static final MeshConfig CONFIG =
      MeshConfig.builder("c", "b", 9).maxFrameBytes(4096).queueLimitBytes(1 << 16).build();

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
  @FuzzTest(maxDuration = "5m")
  void handshakePayloads(byte[] input) {
    try {
      HandshakeCodec.Hello hello = HandshakeCodec.decodeHello(input);
      assertThat(HandshakeCodec.encodeHello(hello)).isEqualTo(input);
    } catch (MeshFrameException rejected) {
      // refused with a reason: fine
    }
    try {
      HandshakeCodec.ErrorNotice error = HandshakeCodec.decodeError(input);
      assertThat(HandshakeCodec.encodeError(error)).isEqualTo(input);
    } catch (MeshFrameException rejected) {
      // refused with a reason: fine
    }
    try {
      assertThat(HandshakeCodec.decodeProof(input)).isSameAs(input);
    } catch (MeshFrameException rejected) {
      // refused with a reason: fine
    }
  }
}
