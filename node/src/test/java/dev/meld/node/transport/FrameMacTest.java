package dev.meld.node.transport;

import static dev.meld.node.transport.MeshFixture.WAIT;
import static dev.meld.node.transport.MeshFixture.eventually;
import static dev.meld.node.transport.MeshFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.transport.MeshFixture.Node;
import dev.meld.node.transport.TamperingProxy.FrameEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secret mode covers every frame after the handshake: node a dials b through a proxy that rewrites
 * a's frames on the path. Whatever it does to a sealed frame (alter, replay, drop one, swap two), b
 * closes the connection at the first frame that does not verify, counts an {@code AUTH} close, and
 * delivers nothing it should not.
 */
class FrameMacTest {

  private static final String SECRET = "the cluster secret, 30 bytes.";
  private static final int FIRST_SEALED = 2;

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  /** Sends pings 1..5 from a to b through a proxy applying {@code edit}; returns b's node. */
  private Node sendThrough(FrameEdit edit) throws Exception {
    Node b = mesh.start("b", c -> c.sharedSecret(SECRET));
    TamperingProxy proxy = mesh.closeLater(new TamperingProxy(b.address(), edit));
    Node a = mesh.start("a", c -> c.sharedSecret(SECRET).dialOverride("b", proxy.address()));
    a.transport().setPeers(Map.of("b", b.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");
    for (int i = 1; i <= 5; i++) {
      a.transport().send("b", ping("a", i));
    }
    eventually("b closes the tampered connection", () -> authCloses(b) == 1);
    Thread.sleep(200); // anything wrongly delivered would have arrived by now
    return b;
  }

  private static long authCloses(Node n) {
    return n.transport().counters().closedByReason().get("AUTH");
  }

  private static List<Long> delivered(Node b) {
    List<Long> out = new ArrayList<>();
    b.listener().messages.forEach(r -> out.add(((dev.meld.node.peer.PeerMessage.Ping) r.message()).hlc()));
    return out;
  }

  @Test
  void anUntamperedStreamIsDeliveredWhole() throws Exception {
    Node b = mesh.start("b", c -> c.sharedSecret(SECRET));
    TamperingProxy proxy = mesh.closeLater(new TamperingProxy(b.address(), (i, f) -> List.of(f)));
    Node a = mesh.start("a", c -> c.sharedSecret(SECRET).dialOverride("b", proxy.address()));
    a.transport().setPeers(Map.of("b", b.address()));
    for (int i = 1; i <= 5; i++) {
      a.transport().send("b", ping("a", i));
    }
    assertThat(b.listener().next(5, WAIT)).extracting(r -> r.message()).containsExactly(
        ping("a", 1), ping("a", 2), ping("a", 3), ping("a", 4), ping("a", 5));
    assertThat(authCloses(b)).isZero();
  }

  @Test
  void aFrameAlteredAfterTheHandshakeClosesTheConnectionAndIsNotApplied() throws Exception {
    Node b =
        sendThrough(
            (i, f) -> List.of(i == FIRST_SEALED ? TamperingProxy.flipLastPayloadByte(f) : f));
    assertThat(delivered(b)).as("nothing from the tampered frame on").isEmpty();
  }

  @Test
  void aReplayedFrameClosesTheConnectionAndIsNotAppliedTwice() throws Exception {
    Node b = sendThrough((i, f) -> i == FIRST_SEALED ? List.of(f, f) : List.of(f));
    assertThat(delivered(b)).as("the original only").containsExactly(1L);
  }

  @Test
  void aDroppedFrameIsDetectedAtTheNextOne() throws Exception {
    Node b = sendThrough((i, f) -> i == FIRST_SEALED ? List.of() : List.of(f));
    assertThat(delivered(b)).isEmpty();
  }

  @Test
  void reorderedFramesAreDetected() throws Exception {
    byte[][] held = new byte[1][];
    Node b =
        sendThrough(
            (i, f) -> {
              if (i == FIRST_SEALED) {
                held[0] = f;
                return List.of();
              }
              return i == FIRST_SEALED + 1 ? List.of(f, held[0]) : List.of(f);
            });
    assertThat(delivered(b)).isEmpty();
  }

  @Test
  void aFrameFromAnotherConnectionDoesNotVerify() throws Exception {
    // Keys are per connection: a's first sealed frame of connection 1, recorded, then replayed
    // into connection 2 in place of its own first sealed frame, fails.
    Node b = mesh.start("b", c -> c.sharedSecret(SECRET));
    RecordingProxy recorder = mesh.closeLater(new RecordingProxy(b.address()));
    Node a = mesh.start("a", c -> c.sharedSecret(SECRET).dialOverride("b", recorder.address()));
    a.transport().setPeers(Map.of("b", b.address()));
    a.transport().send("b", ping("a", 1));
    assertThat(b.listener().next(WAIT).message()).isEqualTo(ping("a", 1));
    byte[] recorded = recorder.sentUpstream();
    List<Integer> at = RawFrames.sealedFrameOffsets(recorded);
    byte[] oldFrame =
        java.util.Arrays.copyOfRange(recorded, at.get(FIRST_SEALED), at.size() > 3 ? at.get(3) : recorded.length);

    Node c = mesh.start("c", x -> x.sharedSecret(SECRET));
    TamperingProxy proxy =
        mesh.closeLater(new TamperingProxy(c.address(), (i, f) -> List.of(i == FIRST_SEALED ? oldFrame : f)));
    Node a2 = mesh.start("a", x -> x.sharedSecret(SECRET).dialOverride("c", proxy.address()));
    a2.transport().setPeers(Map.of("c", c.address()));
    a2.transport().send("c", ping("a", 1));
    eventually("c closes", () -> authCloses(c) == 1);
    assertThat(c.listener().messages).isEmpty();
  }

  @Test
  void withoutASecretFramesCarryNoTag() throws Exception {
    Node b = mesh.start("b");
    RecordingProxy recorder = mesh.closeLater(new RecordingProxy(b.address()));
    Node a = mesh.start("a", c -> c.dialOverride("b", recorder.address()));
    a.transport().setPeers(Map.of("b", b.address()));
    a.transport().send("b", ping("a", 7));
    assertThat(b.listener().next(WAIT).message()).isEqualTo(ping("a", 7));
    assertThat(RawFrames.parse(recorder.sentUpstream()))
        .extracting(Frame::type)
        .containsExactly(MeshFrame.HELLO, MeshFrame.PROOF, MeshFrame.MESSAGE);
  }

}
