package dev.meld.node.transport;

import static dev.meld.node.transport.MeshFixture.WAIT;
import static dev.meld.node.transport.MeshFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.transport.FakePeer.Mode;
import dev.meld.node.transport.MeshFixture.Node;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A peer that cannot keep up costs its sender a bounded amount of memory: the queue's limit plus
 * what Netty holds up to its high water mark; everything beyond is dropped and counted.
 */
class MeshBackpressureTest {

  private static final long QUEUE_LIMIT = 256 << 10;
  private static final int MAX_FRAME = 64 << 10;
  private static final int MESSAGES = 20_000;

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  private Node sender(long handshakeTimeoutMillis) {
    return mesh.start(
        "a",
        c ->
            c.queueLimitBytes(QUEUE_LIMIT)
                .maxFrameBytes(MAX_FRAME)
                .handshakeTimeoutMillis(handshakeTimeoutMillis));
  }

  /** About 1 KiB on the wire. */
  private static PeerMessage kilobyte(long seq) {
    return new PeerMessage.ReplicateBatch(
        new ReplicaId("a", 1),
        List.of(new PeerMessage.Entry(seq, Bytes.utf8("k" + seq), Bytes.of(new byte[1000]))),
        seq);
  }

  /** Sends {@link #MESSAGES} messages to b, checking the queue's bound as it goes. */
  private static void flood(Node a) {
    for (int i = 1; i <= MESSAGES; i++) {
      a.transport().send("b", kilobyte(i));
      if (i % 500 == 0) {
        assertThat(a.stats("b").queuedBytes()).isLessThanOrEqualTo(QUEUE_LIMIT);
      }
    }
  }

  @Test
  void aPeerThatStopsReadingFillsItsQueueToTheLimitAndFurtherSendsAreDropped() throws Exception {
    FakePeer stopped =
        mesh.closeLater(new FakePeer(MeshFixture.CLUSTER, "b", Mode.HANDSHAKE_THEN_STOP_READING));
    Node a = sender(5_000);
    a.transport().setPeers(Map.of("b", stopped.address()));
    assertThat(a.listener().nextEvent(WAIT)).isEqualTo("connected b#1");

    flood(a);
    PeerLinkStats s = a.stats("b");
    // A drop happens only when a message would take the queue past its limit: it filled.
    assertThat(s.dropped()).as("20 MB cannot fit in sockets and a 256 KiB queue").isPositive();
    assertThat(s.queuedBytes()).isLessThanOrEqualTo(QUEUE_LIMIT);
    assertThat(s.unflushedBytes())
        .as("bytes held by Netty for the stopped peer")
        .isLessThanOrEqualTo(NettyIo.WATER_MARK.high() + MAX_FRAME + MeshFrame.HEADER_BYTES);
    assertThat(s.connected()).isTrue();
    // Every message is accounted for: written to the connection, still queued, or dropped.
    eventually(
        "messages accounted for: " + a.stats("b"),
        () -> {
          PeerLinkStats now = a.stats("b");
          return now.messagesOut() + now.queuedFrames() + now.dropped() == MESSAGES;
        });
  }

  @Test
  void anUnreachablePeerFillsItsQueueToTheLimitAndFurtherSendsAreDropped() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = (InetSocketAddress) s.getLocalSocketAddress();
    }
    Node a = sender(5_000);
    a.transport().setPeers(Map.of("b", nobody));
    flood(a);
    PeerLinkStats s = a.stats("b");
    assertThat(s.connected()).isFalse();
    assertThat(s.queuedBytes()).isLessThanOrEqualTo(QUEUE_LIMIT);
    assertThat(s.queuedFrames() + s.dropped()).isEqualTo(MESSAGES);
    assertThat(s.dropped()).isGreaterThan(MESSAGES - QUEUE_LIMIT / 1000);
    eventually("a connect error noted", () -> a.stats("b").lastError().startsWith("connect to "));
  }

  @Test
  void aPeerThatAcceptsButNeverReadsTimesOutEachHandshakeAndMessagesWaitBounded() throws Exception {
    FakePeer frozen = mesh.closeLater(new FakePeer(MeshFixture.CLUSTER, "b", Mode.NEVER_READ));
    Node a = sender(300);
    a.transport().setPeers(Map.of("b", frozen.address()));
    flood(a);
    eventually(
        "two handshakes timed out (the link keeps redialing)",
        () -> a.transport().counters().closedByReason().get("TIMEOUT") >= 2);
    PeerLinkStats s = a.stats("b");
    assertThat(s.connects()).isZero();
    assertThat(s.queuedBytes()).isLessThanOrEqualTo(QUEUE_LIMIT);
    assertThat(s.queuedFrames() + s.dropped()).isEqualTo(MESSAGES);
    assertThat(a.listener().events).isEmpty();
  }
}
