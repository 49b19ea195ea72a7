package dev.meld.node.sim;

import java.util.List;
import java.util.Objects;

/**
 * Something a simulated run did that a correct Meld cluster must never do.
 *
 * @param kind what was broken
 * @param key the key it concerns, or null for cluster-wide violations
 * @param message what was expected and what was found, in one sentence
 * @param ops the history ops that show it (a bounded selection)
 */
public record Violation(Kind kind, String key, String message, List<SimOp> ops) {

  /** The kinds of violation, each a rule of ARCHITECTURE.md or of node/SIMULATION.md's checks. */
  public enum Kind {
    /** After quiescing, two members hold different values or root digests. */
    DIVERGED,
    /** After quiescing, a replication backlog is not empty. */
    BACKLOG,
    /** After quiescing, a node counts a peer as further along its log than the peer's store is. */
    ACKED_BEYOND_APPLIED,
    /** After quiescing, a node is still draining. */
    STUCK_DRAINING,
    /** A final counter read lies outside [ok + negative info, ok + positive info]. */
    COUNTER_OUT_OF_BOUNDS,
    /** A counter read shows more than was ever attempted in one direction. */
    COUNTER_READ_IMPOSSIBLE,
    /** An acknowledged add that nothing could have removed is missing at the end. */
    LOST,
    /** A read shows an element no add had been invoked for. */
    PHANTOM,
    /** A read lists one element twice. */
    DUPLICATE,
    /** An element whose every add an acknowledged remove had observed is present at the end. */
    RESURRECTED,
    /** A node restarted after a crash or wipe under an incarnation it had used before. */
    INCARNATION_REUSED,
    /** A replica threw, or the cluster did not settle within the quiesce bound. */
    FAILURE
  }

  public Violation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    ops = List.copyOf(ops);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(kind.name());
    if (key != null) {
      text.append(" key=").append(key);
    }
    text.append(": ").append(message);
    for (SimOp op : ops) {
      text.append("\n    ").append(op);
    }
    return text.toString();
  }
}
