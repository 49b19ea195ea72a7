package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.testing.NoLeaks;
import dev.meld.node.transport.Handshake.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An accepted connection on an {@link EmbeddedChannel}, with the test playing the dialer: the
 * handshake, message delivery, and every way the connection is refused or closed.
 */
@ExtendWith(NoLeaks.class)
class PeerConnectionTest {

  private static final byte[] SECRET =
      "sixteen byte key, and more".getBytes(StandardCharsets.UTF_8);
  private static final Duration WAIT = Duration.ofSeconds(1);
  private final RecordingListener listener = new RecordingListener();
  private final MeshContext mesh =
      new MeshContext(
          MeshConfig.builder("c", "b", 9)
              .handshakeTimeoutMillis(1_000)
              .idleTimeoutMillis(3_000)
              .build(),
          listener);

  /** An accepted connection on a channel whose clock moves only when the test says so. */
  static EmbeddedChannel accepted(MeshContext mesh) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                PeerConnection.install(ch, mesh, Role.ACCEPTOR, null);
              }
            });
    ch.freezeTime();
    return ch;
  }

  private static Handshake dialer(String node, long incarnation, byte[] secret) {
    byte[] nonce = new byte[16];
    Arrays.fill(nonce, (byte) incarnation);
    return new Handshake(
        Role.DIALER, "c", new ReplicaId(node, incarnation), PeerCodec.VERSION, secret, "b", nonce);
  }

  private static ByteBuf wire(List<Frame> frames) {
    ByteBuf out = Unpooled.buffer();
    frames.forEach(f -> out.writeBytes(f.toBytes()));
    return out;
  }

  /** Every frame the connection wrote since the last call. */
  private static List<Frame> sent(EmbeddedChannel ch) {
    EmbeddedChannel reader =
        new EmbeddedChannel(
            new FrameDecoder(
                1 << 20,
                "",
                MeshFrame.HELLO,
                MeshFrame.PROOF,
                MeshFrame.ERROR,
                MeshFrame.HEARTBEAT,
                MeshFrame.MESSAGE));
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      reader.writeInbound(b);
    }
    List<Frame> out = new ArrayList<>();
    for (Frame f = reader.readInbound(); f != null; f = reader.readInbound()) {
      out.add(f);
    }
    assertFalse(reader.finish());
    return out;
  }

  /** What the accepted connection answered a dialer: its hello, then what followed the proof. */
  private record Exchange(Frame hello, List<Frame> afterProof) {}

  /** Plays {@code dialer} up to and including its proof. */
  private static Exchange dialUpToProof(EmbeddedChannel ch, Handshake dialer) {
    ch.writeInbound(wire(dialer.start()));
    Frame hello = single(sent(ch));
    Handshake.Step step = dialer.receive(hello);
    ch.writeInbound(wire(((Handshake.Continue) step).frames()));
    return new Exchange(hello, sent(ch));
  }

  /** Runs the handshake as dialer {@code node#incarnation}; returns the channel established. */
  private EmbeddedChannel establish(String node, long incarnation) {
    EmbeddedChannel ch = accepted(mesh);
    Handshake dialer = dialer(node, incarnation, null);
    Exchange exchange = dialUpToProof(ch, dialer);
    assertThat(dialer.receive(single(exchange.afterProof())))
        .isInstanceOf(Handshake.Established.class);
    return ch;
  }

  private static Frame single(List<Frame> frames) {
    assertThat(frames).hasSize(1);
    return frames.get(0);
  }

  private static HandshakeCodec.ErrorNotice error(List<Frame> frames) {
    Frame f = single(frames);
    assertThat(f.type()).isEqualTo(MeshFrame.ERROR);
    return HandshakeCodec.decodeError(f.payload());
  }

  private static Frame message(PeerMessage m) {
    return new Frame(MeshFrame.MESSAGE, new PeerCodec(1 << 20).encode(m));
  }

  @Test
  void anEstablishedInboundConnectionDeliversMessages() throws InterruptedException {
    EmbeddedChannel ch = establish("a", 3);
    PeerMessage ping = new PeerMessage.Ping("c", new ReplicaId("a", 3), 77);
    ch.writeInbound(wire(List.of(message(ping), Frame.heartbeat(), message(ping))));
    assertThat(listener.next(2, WAIT))
        .containsExactly(
            new RecordingListener.Received("a", ping), new RecordingListener.Received("a", ping));
    PeerLinkStats stats = mesh.stats().get("a");
    assertThat(stats.inboundConnections()).isEqualTo(1);
    assertThat(stats.incarnation()).isEqualTo(3);
    assertThat(stats.framesIn()).isEqualTo(2 + 3);
    assertThat(stats.framesOut()).isEqualTo(2);
    assertThat(sent(ch)).as("an inbound connection sends nothing after the handshake").isEmpty();
    ch.close();
    assertThat(mesh.stats()).as("forgotten once nothing refers to it").doesNotContainKey("a");
    assertFalse(ch.finish());
  }

  @Test
  void anUndecodableMessageIsDroppedAndCountedAndTheConnectionStays() throws InterruptedException {
    EmbeddedChannel ch = establish("a", 3);
    ch.writeInbound(wire(List.of(new Frame(MeshFrame.MESSAGE, new byte[] {1, 99, 0}))));
    assertThat(ch.isOpen()).isTrue();
    assertThat(mesh.counters().undecodableMessages()).isEqualTo(1);
    assertThat(mesh.stats().get("a").lastError()).startsWith("undecodable message: ");
    PeerMessage ack = new PeerMessage.ReplicateAck(new ReplicaId("b", 9), 4);
    ch.writeInbound(wire(List.of(message(ack))));
    assertThat(listener.next(WAIT).message()).isEqualTo(ack);
    ch.close();
    assertFalse(ch.finish());
  }

  @Test
  void aTruncatedHandshakeEstablishesNothingAndLeaksNothing() {
    EmbeddedChannel ch = accepted(mesh);
    byte[] hello = dialer("a", 3, null).start().get(0).toBytes();
    ch.writeInbound(Unpooled.wrappedBuffer(hello, 0, hello.length / 2));
    ch.close();
    assertThat(mesh.stats()).isEmpty();
    assertThat(listener.messages).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void aBadFrameIsAnsweredWithAnErrorCountedAndTheConnectionClosed() {
    EmbeddedChannel ch = accepted(mesh);
    ch.writeInbound(Unpooled.wrappedBuffer("PING\r\n".getBytes(StandardCharsets.US_ASCII)));
    HandshakeCodec.ErrorNotice notice = error(sent(ch));
    assertThat(notice.refusal()).isEqualTo(Refusal.PROTOCOL);
    assertThat(notice.reason())
        .isEqualTo("frame magic byte: 0x50 (expected: 0xED; not a Meld mesh stream)");
    assertThat(ch.isOpen()).isFalse();
    assertThat(mesh.counters().closedByReason()).containsEntry("PROTOCOL", 1L);
    assertFalse(ch.finish());
  }

  @Test
  void aMessageBeforeTheHandshakeIsRefused() {
    EmbeddedChannel ch = accepted(mesh);
    PeerMessage ping = new PeerMessage.Ping("c", new ReplicaId("a", 3), 77);
    ch.writeInbound(wire(List.of(message(ping))));
    assertThat(error(sent(ch)).reason())
        .isEqualTo("frame type: MESSAGE (expected: HELLO or ERROR while awaiting a hello)");
    assertThat(ch.isOpen()).isFalse();
    assertThat(listener.messages).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void aHandshakeThatDoesNotCompleteInTimeIsClosed() {
    EmbeddedChannel ch = accepted(mesh);
    ch.writeInbound(wire(dialer("a", 3, null).start()));
    sent(ch); // the acceptor's hello
    ch.advanceTimeBy(950, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    HandshakeCodec.ErrorNotice notice = error(sent(ch));
    assertThat(notice.refusal()).isEqualTo(Refusal.TIMEOUT);
    assertThat(notice.reason())
        .isEqualTo("handshake: not complete after 1000 ms (expected: sooner)");
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void anInboundConnectionSilentForTheIdleTimeoutIsClosed() {
    EmbeddedChannel ch = establish("a", 3);
    ch.advanceTimeBy(2_000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    ch.writeInbound(wire(List.of(Frame.heartbeat())));
    ch.advanceTimeBy(2_000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("a heartbeat restarted the idle clock").isTrue();
    ch.advanceTimeBy(1_100, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(error(sent(ch)).refusal()).isEqualTo(Refusal.IDLE);
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void anotherIncarnationOfAConnectedNameIsRefusedAsADuplicate() {
    EmbeddedChannel first = establish("a", 3);
    EmbeddedChannel second = accepted(mesh);
    HandshakeCodec.ErrorNotice notice =
        error(dialUpToProof(second, dialer("a", 4, null)).afterProof());
    assertThat(notice.refusal()).isEqualTo(Refusal.DUPLICATE);
    assertThat(notice.reason()).startsWith("node a#4: a is connected as a#3 from ");
    assertThat(second.isOpen()).isFalse();
    assertThat(first.isOpen()).as("the first connection lives on").isTrue();
    assertThat(mesh.counters().closedByReason()).containsEntry("DUPLICATE", 1L);
    first.close();
    assertFalse(first.finish());
    assertFalse(second.finish());
  }

  @Test
  void theSameIncarnationReconnectingReplacesItsOldConnection() {
    EmbeddedChannel first = establish("a", 3);
    EmbeddedChannel second = establish("a", 3);
    first.runPendingTasks();
    assertThat(error(sent(first)).refusal()).isEqualTo(Refusal.CLOSED);
    assertThat(first.isOpen()).isFalse();
    assertThat(second.isOpen()).isTrue();
    assertThat(mesh.stats().get("a").inboundConnections()).isEqualTo(1);
    second.close();
    assertFalse(first.finish());
    assertFalse(second.finish());
  }

  @Test
  void aWrongSecretIsRefusedWithoutTheSecretOnTheWire() {
    MeshContext secured =
        new MeshContext(MeshConfig.builder("c", "b", 9).sharedSecret(SECRET).build(), listener);
    EmbeddedChannel ch = accepted(secured);
    byte[] wrong = "another sixteen byte key".getBytes(StandardCharsets.UTF_8);
    Exchange exchange = dialUpToProof(ch, dialer("a", 3, wrong));
    HandshakeCodec.ErrorNotice notice = error(exchange.afterProof());
    assertThat(notice.refusal()).isEqualTo(Refusal.AUTH);
    assertThat(HandshakeTest.Bytes.indexOf(exchange.hello().toBytes(), SECRET)).isEqualTo(-1);
    assertThat(secured.stats()).doesNotContainKey("a");
    assertFalse(ch.finish());
  }
}
