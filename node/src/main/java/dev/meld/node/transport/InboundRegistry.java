package dev.meld.node.transport;

import dev.meld.crdt.ReplicaId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The established inbound connections, at most one per peer name. A second incarnation of a name
 * that is connected is a duplicate node (two processes configured with one name) and is refused
 * while the first connection lives; a new connection of the same incarnation is that node
 * reconnecting before this side noticed its old connection die, and replaces it.
 */
final class InboundRegistry {

  /** The outcome of {@link #admit}: refused with a reason, or admitted (replacing one or none). */
  record Admission(String refusal, PeerConnection replaced) {}

  private final Map<String, PeerConnection> live = new HashMap<>();

  synchronized Admission admit(ReplicaId peer, PeerConnection connection) {
    PeerConnection existing = live.get(peer.node());
    if (existing != null
        && existing.isOpen()
        && existing.peer().incarnation() != peer.incarnation()) {
      return new Admission(
          "node "
              + peer
              + ": "
              + peer.node()
              + " is connected as "
              + existing.peer()
              + " from "
              + existing.remoteAddress()
              + " (expected: one live incarnation per name)",
          null);
    }
    live.put(peer.node(), connection);
    return new Admission(null, existing != null && existing.isOpen() ? existing : null);
  }

  /** The open connection {@code node} dialed here, if any. */
  synchronized PeerConnection get(String node) {
    PeerConnection c = live.get(node);
    return c != null && c.isOpen() ? c : null;
  }

  /** Forgets {@code connection} if it is {@code node}'s registered one. */
  synchronized void remove(String node, PeerConnection connection) {
    live.remove(node, connection);
  }

  synchronized List<PeerConnection> all() {
    return new ArrayList<>(live.values());
  }
}
