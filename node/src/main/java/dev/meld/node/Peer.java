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

  /** The peer's current incarnation: the one its latest ping or pong named, -1 before any. */
  long incarnation = -1;

  /** When a message from the peer last arrived, -1 never. */
  long lastContactMillis = -1;

  /** When this node last pinged the peer. */
  long lastPingMillis = Long.MIN_VALUE / 2;

  /** How far the peer has applied this node's log, -1 until a pong or ack says. */
  long acked = -1;

  /** When the peer's acknowledgement of this node's log last moved forward, never at first. */
  long lastAckAdvanceMillis = Long.MIN_VALUE / 2;

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

  /**
   * Takes the incarnation a ping or pong from the peer named as its current one. If it is another
   * than the one known, the peer restarted and may have lost what it acknowledged (a cursor lives
   * in one incarnation's store), so the pump forgets its position and learns it again from the new
   * incarnation's pong or ack.
   */
  void introduce(long newIncarnation) {
    if (newIncarnation != incarnation) {
      incarnation = newIncarnation;
      resetPump();
    }
  }

  /**
   * Whether a cursor from {@code senderIncarnation} (an ack's or a pong's sender) is the current
   * incarnation's: one from any other is stale, whatever order the messages came in.
   */
  boolean current(long senderIncarnation) {
    return senderIncarnation == incarnation;
  }

  /** Forgets the pump's position: the peer's cursor must be learned again. */
  private void resetPump() {
    acked = -1;
    sent = 0;
    inflight.clear();
    lastGapMillis = Long.MIN_VALUE / 2;
  }

  /** Ships again from the acknowledged position (lost or rejected batches). */
  void rewind() {
    sent = Math.max(acked, 0);
    inflight.clear();
  }
}
