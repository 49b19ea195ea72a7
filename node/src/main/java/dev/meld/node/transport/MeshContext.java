package dev.meld.node.transport;

import dev.meld.crdt.ReplicaId;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.peer.PeerMessage;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection and link of one transport shares: the configuration, the message codec, the
 * listener, the per-peer and transport-wide counters, and the registry of inbound peers.
 */
final class MeshContext {

  private static final Logger LOG = LoggerFactory.getLogger(MeshTransport.class);

  final MeshConfig config;
  final PeerCodec codec;
  final ReplicaId self;
  final InboundRegistry inbound = new InboundRegistry();
  final LongAdder accepted = new LongAdder();
  final LongAdder dialAttempts = new LongAdder();
  final LongAdder unroutable = new LongAdder();
  final LongAdder undecodable = new LongAdder();
  final FailureLog tlsFailures = new FailureLog(FailureLog.INTERVAL_NANOS, System::nanoTime);

  private final MeshListener listener;
  private final byte[] secret;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, PeerCounters> peers = new ConcurrentHashMap<>();
  private final Map<Refusal, LongAdder> closedByReason = new EnumMap<>(Refusal.class);
  private final Map<Refusal, LongAdder> refusedByPeers = new EnumMap<>(Refusal.class);

  MeshContext(MeshConfig config, MeshListener listener) {
    this.config = config;
    this.codec = new PeerCodec(config.maxFrameBytes());
    this.self = new ReplicaId(config.nodeName(), config.incarnation());
    this.listener = listener;
    this.secret = config.sharedSecret();
    for (Refusal r : Refusal.values()) {
      closedByReason.put(r, new LongAdder());
      refusedByPeers.put(r, new LongAdder());
    }
  }

  /** A fresh handshake for a connection in {@code role} ({@code dialed}: the peer dialed). */
  Handshake handshake(Handshake.Role role, String dialed) {
    byte[] nonce = new byte[HandshakeCodec.NONCE_BYTES];
    random.nextBytes(nonce);
    return new Handshake(
        role, config.clusterName(), self, PeerCodec.VERSION, secret, dialed, nonce, config.hasTls());
  }

  /**
   * The counters of {@code peer}, created if needed, after {@code attach} marked them as in use (a
   * queue set, an inbound connection counted) atomically with their lookup.
   */
  PeerCounters attach(String peer, Consumer<PeerCounters> attach) {
    return peers.compute(
        peer,
        (p, c) -> {
          PeerCounters counters = c == null ? new PeerCounters() : c;
          attach.accept(counters);
          return counters;
        });
  }

  /** Applies {@code detach} to {@code peer}'s counters and forgets them if no longer in use. */
  void detach(String peer, Consumer<PeerCounters> detach) {
    peers.computeIfPresent(
        peer,
        (p, c) -> {
          detach.accept(c);
          return c.idle() ? null : c;
        });
  }

  Map<String, PeerLinkStats> stats() {
    Map<String, PeerLinkStats> out = new LinkedHashMap<>();
    peers.forEach((peer, c) -> out.put(peer, c.snapshot()));
    return out;
  }

  void closedWith(Refusal refusal) {
    closedByReason.get(refusal).increment();
  }

  void refusedBy(Refusal refusal) {
    refusedByPeers.get(refusal).increment();
  }

  MeshCounters counters() {
    return new MeshCounters(
        accepted.sum(),
        dialAttempts.sum(),
        sums(closedByReason),
        sums(refusedByPeers),
        unroutable.sum(),
        undecodable.sum());
  }

  private static Map<String, Long> sums(Map<Refusal, LongAdder> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((r, n) -> out.put(r.name(), n.sum()));
    return out;
  }

  // The listener is the application's code: whatever it throws must not break a connection.

  void deliver(String from, PeerMessage message) {
    try {
      listener.onMessage(from, message);
    } catch (RuntimeException e) {
      LOG.error("mesh listener failed on a message from {}", from, e);
    }
  }

  void peerConnected(String node, long incarnation) {
    try {
      listener.onPeerConnected(node, incarnation);
    } catch (RuntimeException e) {
      LOG.error("mesh listener failed on {} connecting", node, e);
    }
  }

  void peerDisconnected(String node) {
    try {
      listener.onPeerDisconnected(node);
    } catch (RuntimeException e) {
      LOG.error("mesh listener failed on {} disconnecting", node, e);
    }
  }
}
