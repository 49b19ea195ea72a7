package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.transport.Handshake.Continue;
import dev.meld.node.transport.Handshake.Established;
import dev.meld.node.transport.Handshake.Refused;
import dev.meld.node.transport.Handshake.Role;
import dev.meld.node.transport.Handshake.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The handshake as a plain state machine: two sides driven against each other, no sockets. */
class HandshakeTest {

  private static final byte[] SECRET =
      "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER =
      "incorrect horse battery staple".getBytes(StandardCharsets.UTF_8);
  private final SplittableRandom random = new SplittableRandom(7);

  /** One side's configuration. */
  private record Side(String cluster, String node, long incarnation, int version, byte[] secret) {
    static Side of(String node) {
      return new Side("c", node, 5, 1, null);
    }

    Side secret(byte[] s) {
      return new Side(cluster, node, incarnation, version, s);
    }

    Side cluster(String c) {
      return new Side(c, node, incarnation, version, secret);
    }

    Side version(int v) {
      return new Side(cluster, node, incarnation, v, secret);
    }
  }

  private Handshake make(Role role, Side side, String dialed) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return new Handshake(
        role,
        side.cluster(),
        new ReplicaId(side.node(), side.incarnation()),
        side.version(),
        side.secret(),
        dialed,
        nonce);
  }

  /** The outcome of one side, and everything that crossed the wire. */
  private record Outcome(Step dialer, Step acceptor, List<Frame> wire) {}

  /** Runs a handshake between the two sides; the dialer dials {@code dialed}. */
  private Outcome run(Side dialerSide, Side acceptorSide, String dialed) {
    Handshake dialer = make(Role.DIALER, dialerSide, dialed);
    Handshake acceptor = make(Role.ACCEPTOR, acceptorSide, null);
    List<Frame> wire = new ArrayList<>();
    List<Frame> toAcceptor = new ArrayList<>(dialer.start());
    List<Frame> toDialer = new ArrayList<>(acceptor.start());
    Step dialerStep = null;
    Step acceptorStep = null;
    for (int round = 0; round < 10 && (!toAcceptor.isEmpty() || !toDialer.isEmpty()); round++) {
      wire.addAll(toAcceptor);
      List<Frame> next = new ArrayList<>();
      for (Frame f : toAcceptor) {
        if (!acceptor.done()) {
          acceptorStep = acceptor.receive(f);
          next.addAll(framesOf(acceptorStep));
        }
      }
      toAcceptor = new ArrayList<>();
      wire.addAll(toDialer);
      for (Frame f : toDialer) {
        if (!dialer.done()) {
          dialerStep = dialer.receive(f);
          toAcceptor.addAll(framesOf(dialerStep));
        }
      }
      toDialer = next;
    }
    return new Outcome(dialerStep, acceptorStep, wire);
  }

  /** What a step sends, an ERROR frame for a refusal of our own. */
  private static List<Frame> framesOf(Step step) {
    if (step instanceof Continue c) {
      return c.frames();
    }
    if (step instanceof Established e) {
      return e.frames();
    }
    Refused r = (Refused) step;
    if (r.byPeer()) {
      return List.of();
    }
    return List.of(
        new Frame(
            MeshFrame.ERROR,
            HandshakeCodec.encodeError(new HandshakeCodec.ErrorNotice(r.refusal(), r.reason()))));
  }

  @Test
  void twoNodesWithoutASecretEstablishWithEachOther() {
    Outcome o = run(Side.of("a"), Side.of("b"), "b");
    assertThat(o.dialer()).isEqualTo(new Established(new ReplicaId("b", 5), List.of()));
    assertThat(o.acceptor()).isInstanceOf(Established.class);
    assertThat(((Established) o.acceptor()).peer()).isEqualTo(new ReplicaId("a", 5));
    assertThat(o.wire())
        .extracting(Frame::type)
        .containsExactly(MeshFrame.HELLO, MeshFrame.HELLO, MeshFrame.PROOF, MeshFrame.PROOF);
    assertThat(o.wire().get(2).payload()).isEmpty();
  }

  @Test
  void twoNodesWithTheSameSecretEstablishAndTheSecretNeverCrossesTheWire() {
    Outcome o = run(Side.of("a").secret(SECRET), Side.of("b").secret(SECRET), "b");
    assertThat(o.dialer()).isInstanceOf(Established.class);
    assertThat(o.acceptor()).isInstanceOf(Established.class);
    for (Frame f : o.wire()) {
      assertThat(Bytes.indexOf(f.toBytes(), SECRET)).as("secret inside %s", f).isEqualTo(-1);
    }
    assertThat(o.wire().get(2).payload()).hasSize(32);
  }

  @Test
  void aWrongSecretIsRefusedByTheAcceptor() {
    Outcome o = run(Side.of("a").secret(OTHER), Side.of("b").secret(SECRET), "b");
    Refused refused = (Refused) o.acceptor();
    assertThat(refused.refusal()).isEqualTo(Refusal.AUTH);
    assertThat(refused.reason())
        .isEqualTo(
            "shared-secret proof of a: does not verify (expected: the same secret on both nodes)");
    Refused told = (Refused) o.dialer();
    assertThat(told.byPeer()).isTrue();
    assertThat(told.refusal()).isEqualTo(Refusal.AUTH);
  }

  @Test
  void aMissingSecretIsRefusedOnEitherSide() {
    Refused byAcceptor = (Refused) run(Side.of("a"), Side.of("b").secret(SECRET), "b").acceptor();
    assertThat(byAcceptor.refusal()).isEqualTo(Refusal.AUTH);
    assertThat(byAcceptor.reason())
        .isEqualTo("shared secret of a: none (expected: the cluster's secret)");
    Refused byAcceptorWithout =
        (Refused) run(Side.of("a").secret(SECRET), Side.of("b"), "b").acceptor();
    assertThat(byAcceptorWithout.reason())
        .isEqualTo("shared secret of a: present (expected: none, this node has none)");
    // The dialer checks too: it gets the hello of an acceptor without a secret.
    Handshake plainAcceptor = make(Role.ACCEPTOR, Side.of("b"), null);
    Frame plainHello =
        ((Continue) plainAcceptor.receive(make(Role.DIALER, Side.of("a"), "b").start().get(0)))
            .frames()
            .get(0);
    Handshake dialer = make(Role.DIALER, Side.of("a").secret(SECRET), "b");
    dialer.start();
    Refused byDialer = (Refused) dialer.receive(plainHello);
    assertThat(byDialer.refusal()).isEqualTo(Refusal.AUTH);
    assertThat(byDialer.byPeer()).isFalse();
    assertThat(byDialer.reason())
        .isEqualTo("shared secret of b: none (expected: the cluster's secret)");
  }

  @Test
  void anotherClusterIsRefused() {
    Refused r = (Refused) run(Side.of("a").cluster("other"), Side.of("b"), "b").acceptor();
    assertThat(r.refusal()).isEqualTo(Refusal.CLUSTER);
    assertThat(r.reason()).isEqualTo("cluster of a: \"other\" (expected: this node's cluster)");
  }

  /** The refusal went back to the caller and named the expected cluster: an outsider learned it. */
  @Test
  void wrongClusterRefusalDoesNotRevealTheExpectedClusterName() {
    Refused r =
        (Refused)
            run(Side.of("a").cluster("guess"), Side.of("b").cluster("secret-name"), "b").acceptor();
    assertThat(r.refusal()).isEqualTo(Refusal.CLUSTER);
    assertThat(r.byPeer()).isFalse();
    assertThat(r.reason()).doesNotContain("secret-name");
  }

  @Test
  void aPeerWithThisNodesOwnNameIsRefused() {
    Refused r = (Refused) run(Side.of("a"), Side.of("a"), "a").acceptor();
    assertThat(r.refusal()).isEqualTo(Refusal.SELF);
    assertThat(r.reason()).isEqualTo("node name: \"a\" (expected: another name than this node's)");
  }

  @Test
  void anotherNodeAnsweringTheDialedAddressIsRefused() {
    Outcome o = run(Side.of("a"), Side.of("c"), "b");
    Refused r = (Refused) o.dialer();
    assertThat(r.refusal()).isEqualTo(Refusal.UNEXPECTED_NODE);
    assertThat(r.reason()).isEqualTo("node answering for b: \"c\" (expected: \"b\")");
    assertThat(((Refused) o.acceptor()).byPeer()).isTrue();
  }

  @Test
  void anotherMessageVersionIsRefused() {
    Refused r = (Refused) run(Side.of("a").version(2), Side.of("b"), "b").acceptor();
    assertThat(r.refusal()).isEqualTo(Refusal.VERSION);
    assertThat(r.reason()).isEqualTo("message version of a: 2 (expected: 1)");
  }

  @Test
  void aProofIsGoodForOneConnectionAndOneDirectionOnly() {
    byte[] helloA = new byte[] {1, 2, 3};
    byte[] helloB = new byte[] {4, 5, 6};
    byte[] dialerProof = SecretProof.prove(SECRET, SecretProof.DIALER, helloA, helloB);
    assertThat(dialerProof).hasSize(32);
    assertThat(dialerProof)
        .isNotEqualTo(SecretProof.prove(SECRET, SecretProof.ACCEPTOR, helloA, helloB))
        .isNotEqualTo(SecretProof.prove(SECRET, SecretProof.DIALER, helloB, helloA))
        .isNotEqualTo(SecretProof.prove(OTHER, SecretProof.DIALER, helloA, helloB))
        .isEqualTo(SecretProof.prove(SECRET, SecretProof.DIALER, helloA, helloB));
  }

  @Test
  void aProofReplayedFromAnEarlierConnectionDoesNotVerify() {
    Outcome recorded = run(Side.of("a").secret(SECRET), Side.of("b").secret(SECRET), "b");
    Frame oldHello = recorded.wire().get(0);
    Frame oldProof = recorded.wire().get(2);
    Handshake acceptor = make(Role.ACCEPTOR, Side.of("b").secret(SECRET), null);
    assertThat(acceptor.receive(oldHello)).isInstanceOf(Continue.class);
    Refused r = (Refused) acceptor.receive(oldProof);
    assertThat(r.refusal()).isEqualTo(Refusal.AUTH);
  }

  @Test
  void aFrameOutOfOrderIsAProtocolError() {
    Handshake acceptor = make(Role.ACCEPTOR, Side.of("b"), null);
    assertThatThrownBy(() -> acceptor.receive(new Frame(MeshFrame.PROOF, new byte[0])))
        .isInstanceOf(MeshFrameException.class)
        .hasMessage("frame type: PROOF (expected: none while awaiting a hello)");
  }

  @Test
  void anErrorFromThePeerEndsTheHandshake() {
    Handshake dialer = make(Role.DIALER, Side.of("a"), "b");
    dialer.start();
    byte[] error =
        HandshakeCodec.encodeError(new HandshakeCodec.ErrorNotice(Refusal.DUPLICATE, "dup"));
    Step step = dialer.receive(new Frame(MeshFrame.ERROR, error));
    assertThat(step).isEqualTo(new Refused(Refusal.DUPLICATE, "refused by the peer: dup", true));
    assertThat(dialer.done()).isTrue();
  }

  /** Byte-array search, for "is the secret anywhere in these bytes". */
  static final class Bytes {
    static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
