package dev.meld.node.transport;

import static dev.meld.node.transport.MeshFixture.WAIT;
import static dev.meld.node.transport.MeshFixture.ack;
import static dev.meld.node.transport.MeshFixture.eventually;
import static dev.meld.node.transport.MeshFixture.fullMesh;
import static dev.meld.node.transport.MeshFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.peer.PeerMessage;
import dev.meld.node.transport.MeshFixture.Node;
import dev.meld.node.transport.RecordingListener.Received;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real transports on loopback: messages both ways, full meshes, restarts, peer changes. */
class MeshTransportTest {

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  @Test
  void twoNodesExchangeMessagesBothWaysInOrder() throws InterruptedException {
    Node a = mesh.start("a");
    Node b = mesh.start("b");
    fullMesh(a, b);
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");
    assertThat(b.listener().nextEvent(WAIT)).isEqualTo("connected a#1");

    a.transport().send("b", ping("a", 1));
    b.transport().send("a", ping("b", 2));
    assertThat(b.listener().next(WAIT)).isEqualTo(new Received("a", ping("a", 1)));
    assertThat(a.listener().next(WAIT)).isEqualTo(new Received("b", ping("b", 2)));

    List<Received> expected = new ArrayList<>();
    for (int i = 1; i <= 2_000; i++) {
      a.transport().send("b", ack("a", i));
      expected.add(new Received("a", ack("a", i)));
    }
    assertThat(b.listener().next(2_000, WAIT)).containsExactlyElementsOf(expected);

    PeerLinkStats ab = a.stats("b");
    assertThat(ab.connected()).isTrue();
    assertThat(ab.incarnation()).isEqualTo(1);
    assertThat(ab.connects()).isEqualTo(1);
    assertThat(ab.dropped()).isZero();
    assertThat(ab.inboundConnections()).isEqualTo(1);
    eventually("a's queue to b drained", () -> a.stats("b").queuedFrames() == 0);
    assertThat(a.stats("b").framesOut()).isGreaterThanOrEqualTo(2 + 2_001);
  }

  @Test
  void threeNodesEachReachEveryOtherOnEpollAndNio() throws InterruptedException {
    Node a = mesh.start("a");
    Node b = mesh.start("b");
    Node c = mesh.start("c", config -> config.nativeTransport(false));
    fullMesh(a, b, c);
    for (Node from : List.of(a, b, c)) {
      for (Node to : List.of(a, b, c)) {
        if (from != to) {
          from.transport().send(to.name(), ping(from.name(), 7));
        }
      }
    }
    for (Node to : List.of(a, b, c)) {
      assertThat(to.listener().next(2, WAIT))
          .extracting(Received::from)
          .containsExactlyInAnyOrderElementsOf(
              List.of("a", "b", "c").stream().filter(n -> !n.equals(to.name())).toList());
    }
  }

  @Test
  void aLinkReconnectsAfterThePeerRestartsAndLearnsItsNewIncarnation() throws Exception {
    Node a = mesh.start("a");
    Node b = mesh.start("b");
    InetSocketAddress bAddress = b.address();
    a.transport().setPeers(Map.of("b", bAddress));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");

    b.transport().close();
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("disconnected b");
    a.transport().send("b", ping("a", 1)); // queued while b is down

    Node b2 = mesh.start(MeshFixture.config("b", 2).bindAddress(bAddress).build());
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#2");
    assertThat(b2.listener().next(WAIT)).isEqualTo(new Received("a", ping("a", 1)));
    a.transport().send("b", ping("a", 2));
    assertThat(b2.listener().next(WAIT)).isEqualTo(new Received("a", ping("a", 2)));
    assertThat(a.stats("b").connects()).isEqualTo(2);
    assertThat(a.stats("b").incarnation()).isEqualTo(2);
  }

  @Test
  void aPeerNoLongerNamedIsHungUpOnAndForgotten() throws InterruptedException {
    Node a = mesh.start("a");
    Node b = mesh.start("b");
    a.transport().setPeers(Map.of("b", b.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");
    a.transport().setPeers(Map.of());
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("disconnected b");
    eventually("b forgotten", () -> !a.transport().stats().containsKey("b"));
    a.transport().send("b", ping("a", 1));
    assertThat(a.transport().counters().unroutableMessages()).isEqualTo(1);
    eventually("b saw the connection close", () -> b.transport().stats().isEmpty());
  }

  @Test
  void aPeerRemovedAndAddedAgainAtOnceEndsUpConnected() throws InterruptedException {
    // Several I/O threads: links to one peer share one of them, so the old link's close (and its
    // "disconnected" event) comes before anything the new link does.
    Node a = mesh.start("a", c -> c.ioThreads(4));
    Node b = mesh.start("b");
    a.transport().setPeers(Map.of("b", b.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");
    a.transport().setPeers(Map.of());
    a.transport().setPeers(Map.of("b", b.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("disconnected b");
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");
    assertThat(a.stats("b").connected()).isTrue();
    a.transport().send("b", ping("a", 9));
    assertThat(b.listener().next(WAIT).message()).isEqualTo(ping("a", 9));
    assertThat(a.stats("b").queuedFrames()).isZero();
  }

  @Test
  void aPeerMovedToAnotherAddressIsRedialedThere() throws InterruptedException {
    Node a = mesh.start("a");
    Node b = mesh.start("b");
    Node b2 = mesh.start(MeshFixture.config("b", 2).build());
    a.transport().setPeers(Map.of("b", b.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");
    a.transport().setPeers(Map.of("b", b2.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("disconnected b");
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#2");
    a.transport().send("b", ping("a", 3));
    assertThat(b2.listener().next(WAIT).message()).isEqualTo(ping("a", 3));
  }

  @Test
  void thisNodeCannotBeItsOwnPeer() {
    Node a = mesh.start("a");
    assertThatThrownBy(() -> a.transport().setPeers(Map.of("a", a.address())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("peer: a (expected: the members other than this node)");
    assertThat(a.transport().stats()).isEmpty();
  }

  @Test
  void aClientSpeakingAnotherProtocolGetsAnErrorAndOthersAreUnaffected() throws Exception {
    Node a = mesh.start("a");
    Node b = mesh.start("b");
    fullMesh(a, b);
    eventually("b dialed a", () -> a.stats("b") != null && a.stats("b").inboundConnections() == 1);
    try (Socket redis = new Socket(a.address().getAddress(), a.address().getPort())) {
      OutputStream out = redis.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = redis.getInputStream();
      Frame error = RawFrames.read(in);
      assertThat(error.type()).isEqualTo(MeshFrame.ERROR);
      assertThat(HandshakeCodec.decodeError(error.payload()).reason())
          .isEqualTo("frame magic byte: 0x2A (expected: 0xED; not a Meld mesh stream)");
      assertThat(in.read()).as("then the connection closes").isEqualTo(-1);
    }
    assertThat(a.transport().counters().closedByReason()).containsEntry("PROTOCOL", 1L);
    b.transport().send("a", ping("b", 5));
    assertThat(a.listener().next(WAIT).message()).isEqualTo(ping("b", 5));
  }

  @Test
  void aMessageTooLargeForAFrameIsDroppedAndCounted() throws InterruptedException {
    Node a = mesh.start("a", c -> c.maxFrameBytes(1024).queueLimitBytes(1 << 16));
    Node b = mesh.start("b");
    a.transport().setPeers(Map.of("b", b.address()));
    PeerMessage big =
        new PeerMessage.ReplicateBatch(
            new dev.meld.crdt.ReplicaId("a", 1),
            List.of(
                new PeerMessage.Entry(
                    1,
                    dev.meld.crdt.Bytes.of(new byte[10]),
                    dev.meld.crdt.Bytes.of(new byte[2000]))),
            0);
    a.transport().send("b", big);
    assertThat(a.stats("b").dropped()).isEqualTo(1);
    assertThat(a.stats("b").lastError()).startsWith("message not sent: frame length: ");
  }
}
