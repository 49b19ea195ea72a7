package dev.meld.node.server;

import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * How a client shell (the RESP port, the embedded API) reaches a running node's replica. The shell
 * translates and delegates; the gateway owns the replica thread, so every method may be called from
 * any thread and none blocks.
 */
public interface CommandGateway {

  /**
   * Runs {@code command} on the replica thread, group-committed with the commands around it, and
   * completes with its reply once a write is durable. Commands handed in by one thread run in the
   * order they were handed in, so a connection may pipeline without waiting for each reply.
   */
  CompletableFuture<Reply> execute(Command command);

  /**
   * As {@link #execute(Command)}, but hands the reply (or why the command failed) to {@code then}
   * instead of completing a future: on the thread that answers it (the replica thread, so {@code
   * then} must only hand it on), or on this thread if the command is refused at once. The client
   * port sends every command this way: a future per command, completed on the replica thread and
   * then handed on, cost an allocation and a dependent's dispatch per command for nothing.
   */
  default void execute(Command command, BiConsumer<? super Reply, ? super Throwable> then) {
    execute(command).whenComplete(then);
  }

  /**
   * Redis {@code WAIT}: completes with how many peers have acknowledged this node's log up to
   * {@code localSeq}, as soon as at least {@code replicas} have, or when {@code timeoutMillis} has
   * passed (0 waits without a deadline) with however many have by then.
   */
  CompletableFuture<Integer> waitForReplicas(long localSeq, int replicas, long timeoutMillis);

  /** The latest status snapshot (cheap, may be slightly stale). */
  ReplicaStatus status();

  /** Who and where this node is: name, version, ports, start time. */
  NodeInfo info();
}
