package dev.meld.node.transport;

import java.util.Map;

/**
 * Transport-wide counts since a {@link MeshTransport} started, beyond the per-peer {@link
 * PeerLinkStats}: what happened on connections whose peer was never established or that belong to
 * no peer.
 *
 * @param acceptedConnections TCP connections accepted on the mesh port
 * @param dialAttempts TCP connections dialed to peers
 * @param closedByReason connections this node refused or closed with an ERROR frame, by reason
 *     ({@code PROTOCOL} for malformed frames, {@code TIMEOUT}, {@code AUTH}, {@code CLUSTER},
 *     {@code DUPLICATE}, ...)
 * @param refusedByPeers connections a peer refused or closed with an ERROR frame, by its reason
 * @param unroutableMessages messages sent to a node that is not a peer (not in {@code setPeers})
 * @param undecodableMessages MESSAGE frames whose payload was not a valid peer message (dropped)
 */
public record MeshCounters(
    long acceptedConnections,
    long dialAttempts,
    Map<String, Long> closedByReason,
    Map<String, Long> refusedByPeers,
    long unroutableMessages,
    long undecodableMessages) {

  public MeshCounters {
    closedByReason = Map.copyOf(closedByReason);
    refusedByPeers = Map.copyOf(refusedByPeers);
  }
}
