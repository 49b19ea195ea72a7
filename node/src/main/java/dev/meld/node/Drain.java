package dev.meld.node;

import dev.meld.node.DrainStatus.State;
import java.util.ArrayList;
import java.util.List;

/**
 * A drain in progress: writes are refused from {@link #begin} on; the drain completes once every
 * live peer has acknowledged the log head and finished an anti-entropy session with this node that
 * started after the drain began (and whose end both sides saw), and times out at the deadline.
 * Either end is final until the next {@link #begin}; writes stay refused.
 */
final class Drain {

  private State state = State.NOT_DRAINING;
  private long startedAt = -1;
  private long deadline = -1;
  private long finishedAt = -1;
  private long startEpoch;
  private List<String> missingAck = List.of();
  private List<String> missingSync = List.of();

  /** Starts (or restarts, with a new deadline) a drain. */
  void begin(long nowMillis, long deadlineMillis, long epoch) {
    state = State.RUNNING;
    startedAt = nowMillis;
    deadline = deadlineMillis;
    finishedAt = -1;
    startEpoch = epoch;
  }

  boolean draining() {
    return state != State.NOT_DRAINING;
  }

  boolean running() {
    return state == State.RUNNING;
  }

  /** The event the drain began at: sessions must start after it. */
  long startEpoch() {
    return startEpoch;
  }

  /**
   * Re-evaluates a running drain against the live peers and the log head.
   *
   * @param waitForSync whether anti-entropy sessions are required (not when they are skipped)
   */
  void evaluate(long nowMillis, List<Peer> live, long head, boolean waitForSync) {
    if (state != State.RUNNING) {
      return;
    }
    List<String> ack = new ArrayList<>();
    List<String> sync = new ArrayList<>();
    for (Peer p : live) {
      if (p.acked < head) {
        ack.add(p.name);
      }
      if (waitForSync && p.confirmedSyncEpoch <= startEpoch) {
        sync.add(p.name);
      }
    }
    missingAck = ack;
    missingSync = sync;
    if (ack.isEmpty() && sync.isEmpty()) {
      state = State.COMPLETED;
      finishedAt = nowMillis;
    } else if (nowMillis >= deadline) {
      state = State.TIMED_OUT;
      finishedAt = nowMillis;
    }
  }

  DrainStatus status() {
    if (state == State.NOT_DRAINING) {
      return DrainStatus.NOT_DRAINING;
    }
    return new DrainStatus(state, startedAt, deadline, finishedAt, missingAck, missingSync);
  }
}
