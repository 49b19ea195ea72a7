package dev.meld.node;

import java.util.ArrayDeque;

/**
 * What a replica keeps about one peer: when it last heard from it (liveness), how far the peer has
 * acknowledged this node's log and what is in flight to it (the pump), and its anti-entropy history
 * (readiness, drain). Package-private state, mutated by the replica's single thread.
 */
final class Peer {

  /** A batch sent and not yet acknowledged. */
  record Inflight(long lastSeq, long sentAtMillis) {}

  final String name;

  /** The peer's incarnation as last heard, -1 before the first ping or pong. */
  long incarnation = -1;

  /** When a message from the peer last arrived, -1 never. */
  long lastContactMillis = -1;

  /** When this node last pinged the peer. */
  long lastPingMillis = Long.MIN_VALUE / 2;

  /** How far the peer has applied this node's log, -1 until a pong or ack says. */
  long acked = -1;

  /** The highest sequence number shipped since the last rewind. */
  long sent;

  /** Batches in flight, oldest first. */
  final ArrayDeque<Inflight> inflight = new ArrayDeque<>();

  /** When the peer was last told it is behind the retained log. */
  long lastGapMillis = Long.MIN_VALUE / 2;

  /** Whether an anti-entropy session with the peer completed since open. */
  boolean synced;

  /** The start event of the latest completed session whose end both sides surely saw, or -1. */
  long confirmedSyncEpoch = -1;

  /** When this node last started a session with the peer. */
  long lastSessionStartMillis = Long.MIN_VALUE / 2;

  Peer(String name) {
    this.name = name;
  }

  /** Whether the peer was heard from within {@code deadTimeoutMillis} of {@code nowMillis}. */
  boolean live(long nowMillis, long deadTimeoutMillis) {
    return lastContactMillis >= 0 && nowMillis - lastContactMillis <= deadTimeoutMillis;
  }

  /** Forgets the pump's position: the peer restarted, its cursor must be learned again. */
  void resetPump() {
    acked = -1;
    sent = 0;
    inflight.clear();
  }

  /** Ships again from the acknowledged position (lost or rejected batches). */
  void rewind() {
    sent = Math.max(acked, 0);
    inflight.clear();
  }
}
