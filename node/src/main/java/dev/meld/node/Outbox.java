package dev.meld.node;

import dev.meld.node.peer.PeerMessage;

/**
 * Where a {@link Replica} puts the messages it wants delivered to peers. The shell (Netty, or the
 * simulator's network) sends them when and if it can: delivery may be late, duplicated, reordered
 * or never, and the replica copes with all of these.
 */
@FunctionalInterface
public interface Outbox {

  /** Asks for {@code message} to be delivered to the member named {@code toNode}. */
  void send(String toNode, PeerMessage message);
}
