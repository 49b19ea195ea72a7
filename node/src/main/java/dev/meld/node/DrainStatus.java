package dev.meld.node;

import java.util.List;
import java.util.Objects;

/**
 * Where a drain stands: while draining, a node refuses writes and keeps replicating until every
 * live peer has acknowledged its log head and completed an anti-entropy session with it that
 * started after the drain began, or until the deadline.
 *
 * @param state where the drain stands
 * @param startedAtMillis when {@code beginDrain} was called (node clock), or -1
 * @param deadlineMillis the deadline given to {@code beginDrain}, or -1
 * @param finishedAtMillis when the drain completed or timed out, or -1
 * @param peersMissingAck live peers that have not acknowledged the log head yet (at the end: at the
 *     deadline)
 * @param peersMissingSync live peers without a completed anti-entropy session since the drain began
 */
public record DrainStatus(
    State state,
    long startedAtMillis,
    long deadlineMillis,
    long finishedAtMillis,
    List<String> peersMissingAck,
    List<String> peersMissingSync) {

  /** The states of a drain. */
  public enum State {
    NOT_DRAINING,
    RUNNING,
    COMPLETED,
    TIMED_OUT
  }

  /** The status of a node that is not draining. */
  public static final DrainStatus NOT_DRAINING =
      new DrainStatus(State.NOT_DRAINING, -1, -1, -1, List.of(), List.of());

  public DrainStatus {
    Objects.requireNonNull(state, "state");
    peersMissingAck = List.copyOf(peersMissingAck);
    peersMissingSync = List.copyOf(peersMissingSync);
  }

  /** Whether the node is draining or has drained (writes are refused). */
  public boolean draining() {
    return state != State.NOT_DRAINING;
  }
}
