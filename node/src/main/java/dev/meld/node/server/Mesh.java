package dev.meld.node.server;

import dev.meld.node.Outbox;
import dev.meld.node.peer.PeerMessage;
import java.net.InetSocketAddress;

/** The node's link to its peers (interim: a single node with no mesh port yet). */
final class Mesh implements Outbox, AutoCloseable {

  private final InetSocketAddress bound;

  private Mesh(InetSocketAddress bound) {
    this.bound = bound;
  }

  static Mesh start(NodeConfig config, long incarnation) {
    return new Mesh(config.meshBind());
  }

  void deliverTo(ReplicaLoop loop) {}

  InetSocketAddress boundAddress() {
    return bound;
  }

  @Override
  public void send(String toNode, PeerMessage message) {}

  @Override
  public void close() {}
}
