package dev.meld.node.server;

import dev.meld.node.ReplicaStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Pending Redis {@code WAIT}s: each completes with the number of peers whose acknowledged cursor of
 * the local log has reached its sequence number, once that number reaches what it asked for, or at
 * its deadline with whatever number was reached. Used on the replica thread only.
 */
final class ReplicaWaiters {

  private record Waiter(
      long seq, int replicas, long deadlineNanos, CompletableFuture<Integer> future) {}

  private final List<Waiter> waiting = new ArrayList<>();

  /** Peers in {@code status} that have acknowledged the local log up to {@code seq}. */
  static int acknowledged(ReplicaStatus status, long seq) {
    int count = 0;
    for (ReplicaStatus.PeerStatus peer : status.peers()) {
      if (peer.ackedSeq() >= seq) {
        count++;
      }
    }
    return count;
  }

  /**
   * Adds a wait, completing it at once if {@code status} already satisfies it or it asks for no
   * replicas. {@code deadlineNanos} is on {@link System#nanoTime()}'s scale; {@code
   * Long.MAX_VALUE}-like far deadlines mean "no timeout".
   */
  void add(
      long seq,
      int replicas,
      long deadlineNanos,
      CompletableFuture<Integer> future,
      ReplicaStatus status) {
    int acked = acknowledged(status, seq);
    if (replicas <= 0 || acked >= replicas) {
      future.complete(acked);
    } else {
      waiting.add(new Waiter(seq, replicas, deadlineNanos, future));
    }
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Completes the waits that {@code status} satisfies and those whose deadline has passed. */
  void check(ReplicaStatus status, long nowNanos) {
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      int acked = acknowledged(status, w.seq);
      if (acked >= w.replicas || nowNanos - w.deadlineNanos >= 0) {
        it.remove();
        w.future.complete(acked);
      }
    }
  }

  /** Whether some wait's deadline has passed. */
  boolean anyExpired(long nowNanos) {
    for (Waiter w : waiting) {
      if (nowNanos - w.deadlineNanos >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Fails every pending wait with {@code cause} (the node is stopping). */
  void failAll(Throwable cause) {
    for (Waiter w : waiting) {
      w.future.completeExceptionally(cause);
    }
    waiting.clear();
  }
}
