package dev.meld.node.transport;

import static dev.meld.node.transport.MeshFixture.WAIT;
import static dev.meld.node.transport.MeshFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.transport.MeshFixture.Node;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The direction rule, seen from a recording proxy that node a dials node b through: a's messages to
 * b cross the proxy towards b, b's messages to a never cross it (b sends them on the connection b
 * dialed to a), and black-holing the proxy's a-to-b direction cuts exactly a's messages to b (and,
 * the mesh having a secret, the bytes it dropped break the connection's frame sequence once the
 * cut heals: b closes it and a redials).
 */
class DirectionRuleTest {

  private static final String SECRET = "the cluster secret, 30 bytes.";

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  @Test
  void messagesTravelOnlyOnTheSendersDialedConnection() throws Exception {
    Node b = mesh.start("b", c -> c.sharedSecret(SECRET));
    RecordingProxy aToB = mesh.closeLater(new RecordingProxy(b.address()));
    Node a = mesh.start("a", c -> c.sharedSecret(SECRET).dialOverride("b", aToB.address()));
    a.transport().setPeers(Map.of("b", b.address())); // the override wins
    b.transport().setPeers(Map.of("a", a.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");
    assertThat(b.listener().nextEvent(WAIT)).isEqualTo("connected a#1");

    for (int i = 1; i <= 10; i++) {
      a.transport().send("b", ping("a", i));
      b.transport().send("a", ping("b", i));
    }
    assertThat(b.listener().next(10, WAIT)).allMatch(r -> r.from().equals("a"));
    assertThat(a.listener().next(10, WAIT)).allMatch(r -> r.from().equals("b"));

    List<Frame> towardsB = RawFrames.parseSealed(aToB.sentUpstream());
    List<Frame> towardsA = RawFrames.parseSealed(aToB.sentToClients());
    assertThat(towardsB)
        .extracting(Frame::type)
        .startsWith(MeshFrame.HELLO, MeshFrame.PROOF)
        .filteredOn(t -> t == MeshFrame.MESSAGE)
        .hasSize(10);
    assertThat(towardsA)
        .as("b answers a's dial with its handshake and nothing else")
        .extracting(Frame::type)
        .containsExactly(MeshFrame.HELLO, MeshFrame.PROOF);

    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    assertThat(HandshakeTest.Bytes.indexOf(aToB.sentUpstream(), secret)).isEqualTo(-1);
    assertThat(HandshakeTest.Bytes.indexOf(aToB.sentToClients(), secret)).isEqualTo(-1);

    aToB.cutUpstream(true);
    a.transport().send("b", ping("a", 100));
    b.transport().send("a", ping("b", 100));
    assertThat(a.listener().next(WAIT).message())
        .as("b to a still flows: it does not use the proxy")
        .isEqualTo(ping("b", 100));
    Thread.sleep(200);
    assertThat(b.listener().messages).as("a to b is cut").isEmpty();

    // The cut dropped bytes from the middle of a's stream. In secret mode every frame carries a
    // MAC over its sequence number, so b detects the gap at the next frame, closes, and a redials;
    // what follows flows again on the new connection.
    aToB.cutUpstream(false);
    a.transport().send("b", ping("a", 101));
    MeshFixture.eventually(
        "b detects the deleted frame",
        () -> b.transport().counters().closedByReason().get("AUTH") == 1);
    long hlc = 102;
    for (long end = System.nanoTime() + WAIT.toNanos();
        b.listener().messages.isEmpty() && System.nanoTime() < end;
        hlc++) {
      a.transport().send("b", ping("a", hlc));
      Thread.sleep(50);
    }
    assertThat(b.listener().next(WAIT).message())
        .as("after the redial, and never the frame that followed the gap")
        .isNotEqualTo(ping("a", 101))
        .isNotEqualTo(ping("a", 100));
  }
}
