package dev.meld.node.server;

import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.concurrent.CompletableFuture;

/**
 * The door through which the shells (the RESP port, the embedded API) reach a running node's
 * replica. Every call is thread-safe and never blocks; the work happens on the node's replica
 * thread, and futures complete there, so callbacks attached to them must not block.
 */
public interface CommandGateway {

  /**
   * Runs {@code command} on the replica thread; writes are group-committed with the commands queued
   * alongside them and acknowledged after the durable commit. Completes exceptionally (never with
   * a null) if the node cannot take the command: its queue is full or it is shutting down.
   */
  CompletableFuture<Reply> execute(Command command);

  /**
   * Redis {@code WAIT}: completes with the number of peers whose acknowledged cursor of this node's
   * log has reached {@code localSeq} (a write reply's {@link Reply#seq()}), as soon as that number
   * reaches {@code replicas}, or when {@code timeoutMillis} has passed (0: no timeout) with the
   * number reached by then. {@code replicas <= 0} completes at once.
   */
  CompletableFuture<Integer> waitForReplicas(long localSeq, int replicas, long timeoutMillis);

  /** The latest status snapshot: cheap, and may be slightly stale. */
  ReplicaStatus status();

  /** Facts about the node that do not change while it runs. */
  NodeInfo info();
}
