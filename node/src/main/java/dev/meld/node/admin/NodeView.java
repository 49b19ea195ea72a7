package dev.meld.node.admin;

import dev.meld.node.ReplicaStatus;
import dev.meld.node.server.NodeInfo;
import dev.meld.node.store.StoreRecovery;
import dev.meld.node.transport.MeshCounters;
import dev.meld.node.transport.PeerLinkStats;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

  /** The mesh's links, by peer: traffic, queue, drops, connection state, last error. */
  Map<String, PeerLinkStats> links();

  /** The mesh's transport-wide counters (refusals by reason among them). */
  MeshCounters meshCounters();

  /** The RESP port's client table ({@link ClientTable#NONE} without a client port). */
  default ClientTable clients() {
    return ClientTable.NONE;
  }

  /**
   * What opening the store found in its write-ahead log, for this process's life: intact, a torn
   * tail dropped, or recovered with loss the operator accepted.
   */
  default StoreRecovery storeRecovery() {
    return StoreRecovery.intact(-1, -1);
  }

  /**
   * Starts leaving the cluster: the node removes itself from the member set, drains, and stops.
   * Completes as soon as the leave started or was refused; never waits for the drain.
   */
  CompletableFuture<LeaveOutcome> leave();
}
