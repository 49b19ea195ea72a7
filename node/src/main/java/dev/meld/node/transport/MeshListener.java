package dev.meld.node.transport;

import dev.meld.node.peer.PeerMessage;

/**
 * What a {@link MeshTransport} reports. Called on the transport's I/O threads: an implementation
 * hands the event over to its own thread and returns at once. An exception thrown here is logged
 * and otherwise ignored.
 */
public interface MeshListener {

  /** A message arrived from {@code fromNode} (on a connection that node dialed). */
  void onMessage(String fromNode, PeerMessage message);

  /** This node's dialed link to {@code node} completed its handshake with that incarnation. */
  default void onPeerConnected(String node, long incarnation) {}

  /** This node's dialed link to {@code node}, which had connected, closed. */
  default void onPeerDisconnected(String node) {}
}
