package dev.meld.node.transport;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.transport.HandshakeCodec.ErrorNotice;
import dev.meld.node.transport.HandshakeCodec.Hello;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One side of the mesh handshake, as a plain state machine: frames in, frames out and a verdict. It
 * touches no socket, clock or randomness (the nonce is given), so it is tested without a network;
 * {@link PeerConnection} drives it on a real connection.
 *
 * <p>The dialer speaks first. Each side checks the other's hello and refuses a peer that speaks
 * another message version, belongs to another cluster, bears this node's own name, disagrees about
 * having a shared secret, or (for the dialer) is not the node it meant to dial. Then each proves it
 * knows the secret (an empty proof without one); the acceptor proves last, so its proof also tells
 * the dialer it was accepted.
 *
 * <pre>
 *   dialer                                   acceptor
 *     | HELLO(v, flags, inc, nonceD, cluster, node) |
 *     |-------------------------------------------->|  checks version, cluster, name, secret flag
 *     |  HELLO(v, flags, inc, nonceA, cluster, node) |
 *     |<--------------------------------------------|
 *     |  checks (and the name is the one dialed)     |
 *     |  PROOF(HMAC(dialer role, both hellos))       |
 *     |-------------------------------------------->|  verifies; registers the peer
 *     |  PROOF(HMAC(acceptor role, both hellos))     |
 *     |<--------------------------------------------|  established: receives MESSAGE frames
 *     |  verifies: established, sends MESSAGE frames |
 * </pre>
 *
 * Either side may instead send an ERROR frame with a {@link Refusal} and its reason, and close.
 */
final class Handshake {

  /** Which end of the connection this side is. */
  enum Role {
    DIALER,
    ACCEPTOR
  }

  /** What the shell does after a frame. */
  sealed interface Step {}

  /** Send {@code frames} and keep going. */
  record Continue(List<Frame> frames) implements Step {}

  /** Send {@code frames}; the connection is now established with {@code peer}. */
  record Established(ReplicaId peer, List<Frame> frames) implements Step {}

  /**
   * Close the connection; unless {@code byPeer} (the peer refused us), first send an ERROR frame
   * with the refusal and reason.
   */
  record Refused(Refusal refusal, String reason, boolean byPeer) implements Step {}

  private enum State {
    AWAIT_HELLO,
    AWAIT_PROOF,
    DONE
  }

  private final Role role;
  private final String cluster;
  private final ReplicaId self;
  private final int messageVersion;
  private final byte[] secret;
  private final String dialed;
  private final byte[] localHello;
  private final boolean tls;
  private Set<String> certifiedNames;
  private State state = State.AWAIT_HELLO;
  private Hello peerHello;
  private byte[] peerHelloBytes;
  private String claimedName;

  /**
   * @param role this side's role
   * @param cluster this node's cluster
   * @param self this node's name and incarnation
   * @param messageVersion the message encoding version this node speaks
   * @param secret the shared secret, or {@code null} for none
   * @param dialed for a dialer, the name of the node it dialed; {@code null} for an acceptor
   * @param nonce 16 fresh random bytes
   */
  Handshake(
      Role role,
      String cluster,
      ReplicaId self,
      int messageVersion,
      byte[] secret,
      String dialed,
      byte[] nonce) {
    this(role, cluster, self, messageVersion, secret, dialed, nonce, false);
  }

  /**
   * As above; with {@code tls}, the connection runs inside mutual TLS, and the peer's hello must
   * give a name its certificate vouches for ({@link #certifiedAs}). Frames after a handshake with a
   * secret and without TLS carry a {@link FrameMac} tag ({@link #sendMac}, {@link #receiveMac}).
   */
  Handshake(
      Role role,
      String cluster,
      ReplicaId self,
      int messageVersion,
      byte[] secret,
      String dialed,
      byte[] nonce,
      boolean tls) {
    this.tls = tls;
    this.role = Objects.requireNonNull(role, "role");
    this.cluster = cluster;
    this.self = self;
    this.messageVersion = messageVersion;
    this.secret = secret == null ? null : secret.clone();
    if ((role == Role.DIALER) != (dialed != null)) {
      throw new IllegalArgumentException("dialed: " + dialed + " (expected: a name iff dialing)");
    }
    this.dialed = dialed;
    this.localHello =
        HandshakeCodec.encodeHello(
            new Hello(
                messageVersion, secret != null, self.incarnation(), nonce, cluster, self.node()));
  }

  /** The frames to send as soon as the connection is up: the dialer's hello. */
  List<Frame> start() {
    return role == Role.DIALER ? List.of(new Frame(MeshFrame.HELLO, localHello)) : List.of();
  }

  /**
   * The node names the peer's TLS certificate vouches for (see {@code tls.PeerIdentity}), known once
   * the TLS handshake is over and before the peer's hello can arrive.
   */
  void certifiedAs(Set<String> names) {
    certifiedNames = Set.copyOf(names);
  }

  /** Whether frames after the handshake carry a MAC: a shared secret and no TLS. */
  boolean sealsFrames() {
    return secret != null && !tls;
  }

  /** The MAC of the frames this side sends once established; null unless {@link #sealsFrames}. */
  FrameMac sendMac() {
    return mac(role == Role.DIALER ? FrameMac.DIALER_TO_ACCEPTOR : FrameMac.ACCEPTOR_TO_DIALER);
  }

  /** The MAC of the frames the peer sends once established; null unless {@link #sealsFrames}. */
  FrameMac receiveMac() {
    return mac(role == Role.DIALER ? FrameMac.ACCEPTOR_TO_DIALER : FrameMac.DIALER_TO_ACCEPTOR);
  }

  private FrameMac mac(int direction) {
    if (!sealsFrames() || peerHello == null) {
      return null;
    }
    byte[] localNonce = HandshakeCodec.decodeHello(localHello).nonce();
    byte[] dialerNonce = role == Role.DIALER ? localNonce : peerHello.nonce();
    byte[] acceptorNonce = role == Role.DIALER ? peerHello.nonce() : localNonce;
    return FrameMac.derive(secret, dialerNonce, acceptorNonce, direction);
  }

  /** Whether the handshake is over (established or refused). */
  boolean done() {
    return state == State.DONE;
  }

  /** The name the peer's hello gave (not yet proven), or {@code null} before a hello. */
  String claimedName() {
    return claimedName;
  }

  /** The frame types acceptable now. */
  int[] expectedTypes() {
    return state == State.AWAIT_HELLO
        ? new int[] {MeshFrame.HELLO, MeshFrame.ERROR}
        : new int[] {MeshFrame.PROOF, MeshFrame.ERROR};
  }

  /** The phase, as error messages name it. */
  String phase() {
    return state == State.AWAIT_HELLO ? "while awaiting a hello" : "while awaiting a proof";
  }

  /**
   * Takes the peer's next frame.
   *
   * @throws MeshFrameException if the frame is malformed or unexpected now
   */
  Step receive(Frame frame) {
    if (state == State.DONE) {
      throw new IllegalStateException("the handshake is over");
    }
    Step step;
    if (frame.type() == MeshFrame.ERROR) {
      ErrorNotice notice = HandshakeCodec.decodeError(frame.payload());
      step = new Refused(notice.refusal(), "refused by the peer: " + notice.reason(), true);
    } else if (state == State.AWAIT_HELLO && frame.type() == MeshFrame.HELLO) {
      step = onHello(frame.payload());
    } else if (state == State.AWAIT_PROOF && frame.type() == MeshFrame.PROOF) {
      step = onProof(HandshakeCodec.decodeProof(frame.payload()));
    } else {
      throw new MeshFrameException(
          "frame type: " + MeshFrame.typeName(frame.type()) + " (expected: none " + phase() + ")");
    }
    if (!(step instanceof Continue)) {
      state = State.DONE;
    }
    return step;
  }

  private Step onHello(byte[] payload) {
    Hello hello = HandshakeCodec.decodeHello(payload);
    String peer = hello.node();
    claimedName = peer;
    if (hello.messageVersion() != messageVersion) {
      return refuse(
          Refusal.VERSION,
          "message version of "
              + peer
              + ": "
              + hello.messageVersion()
              + " (expected: "
              + messageVersion
              + ")");
    }
    if (!hello.cluster().equals(cluster)) {
      return refuse(
          Refusal.CLUSTER,
          "cluster of " + peer + ": \"" + hello.cluster() + "\" (expected: this node's cluster)");
    }
    if (peer.equals(self.node())) {
      return refuse(
          Refusal.SELF, "node name: \"" + peer + "\" (expected: another name than this node's)");
    }
    if (dialed != null && !peer.equals(dialed)) {
      return refuse(
          Refusal.UNEXPECTED_NODE,
          "node answering for " + dialed + ": \"" + peer + "\" (expected: \"" + dialed + "\")");
    }
    if (tls && (certifiedNames == null || !certifiedNames.contains(peer))) {
      return refuse(
          Refusal.AUTH,
          "TLS certificate of a peer calling itself "
              + peer
              + ": names "
              + (certifiedNames == null ? "no node" : new TreeSet<>(certifiedNames))
              + " (expected: "
              + peer
              + ", the name its hello gives)");
    }
    if (hello.hasSecret() != (secret != null)) {
      return refuse(
          Refusal.AUTH,
          secret != null
              ? "shared secret of " + peer + ": none (expected: the cluster's secret)"
              : "shared secret of " + peer + ": present (expected: none, this node has none)");
    }
    peerHello = hello;
    peerHelloBytes = payload;
    state = State.AWAIT_PROOF;
    return role == Role.ACCEPTOR
        ? new Continue(List.of(new Frame(MeshFrame.HELLO, localHello)))
        : new Continue(List.of(new Frame(MeshFrame.PROOF, proof(SecretProof.DIALER))));
  }

  private Step onProof(byte[] proof) {
    int peerRole = role == Role.DIALER ? SecretProof.ACCEPTOR : SecretProof.DIALER;
    if (!SecretProof.matches(proof(peerRole), proof)) {
      return refuse(
          Refusal.AUTH,
          "shared-secret proof of "
              + peerHello.node()
              + ": does not verify (expected: the same secret on both nodes)");
    }
    ReplicaId peer = new ReplicaId(peerHello.node(), peerHello.incarnation());
    return role == Role.ACCEPTOR
        ? new Established(peer, List.of(new Frame(MeshFrame.PROOF, proof(SecretProof.ACCEPTOR))))
        : new Established(peer, List.of());
  }

  /** This node's proof in {@code proverRole}, or the peer's expected one; empty without secret. */
  private byte[] proof(int proverRole) {
    if (secret == null) {
      return Frame.EMPTY;
    }
    byte[] dialerHello = role == Role.DIALER ? localHello : peerHelloBytes;
    byte[] acceptorHello = role == Role.DIALER ? peerHelloBytes : localHello;
    return SecretProof.prove(secret, proverRole, dialerHello, acceptorHello);
  }

  private static Refused refuse(Refusal refusal, String reason) {
    return new Refused(refusal, reason, false);
  }
}
