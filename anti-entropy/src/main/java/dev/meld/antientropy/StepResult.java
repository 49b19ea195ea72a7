package dev.meld.antientropy;

import java.util.List;

/**
 * What one step of a {@link SyncSession} asks of its caller.
 *
 * @param send messages to send to the peer, in order (at most one round, or one abort)
 * @param merge records received from the peer: the caller merges each into its replica (the session
 *     never writes); empty when the step aborted, so a bad message changes nothing
 * @param requested how many records this step asked the peer for (they arrive in later steps)
 * @param summary the session's counters after the step (final once it has ended)
 */
public record StepResult(
    List<SyncMessage> send, List<SyncRecord> merge, int requested, SyncSummary summary) {

  public StepResult {
    send = List.copyOf(send);
    merge = List.copyOf(merge);
  }

  /** The session's state after the step. */
  public SyncSession.State state() {
    return summary.state();
  }

  /** Whether the session has ended (completed or aborted). */
  public boolean finished() {
    return state() == SyncSession.State.COMPLETED || state() == SyncSession.State.ABORTED;
  }
}
