package dev.meld.node.admin;

import dev.meld.node.ReplicaStatus;
import dev.meld.node.server.NodeInfo;

/** What the admin port reads from a running node. Every method is cheap and thread-safe. */
public interface NodeView {

  /** The latest status snapshot. */
  ReplicaStatus status();

  /** Facts that do not change while the node runs. */
  NodeInfo info();

  /** Whether the node takes client commands (started, not stopping). */
  boolean serving();

  /** Peer messages dropped because the replica thread had too many queued. */
  long droppedInbound();

  /** Client commands waiting for the replica thread. */
  int queuedCommands();

  /** Bytes the store's files take on disk (may lag by a few seconds). */
  long storeBytes();
}
