package dev.meld.node.sim;

import java.util.List;

/**
 * A bug the simulator found in the replica core (branch {@code replica}) that is not fixed yet, and
 * how to recognise it. The sweep in {@link SimulationTest} tolerates a run only if it fails exactly
 * with this bug's signature; {@link KnownReplicaBugsTest} runs seeds that show it, expecting them
 * to pass, and is switched on with {@code -Dmeld.sim.knownBugs=true} until the fix lands. Which
 * seeds show it moves whenever the replica's schedule changes; the signature does not.
 */
final class KnownReplicaBugs {

  /**
   * A stale acknowledgement from a peer's previous incarnation stalls the pump to its new one.
   *
   * <p>Node B is wiped (or crashes) and restarts under a new incarnation. Node A hears the new
   * incarnation's ping, resets its pump to B ({@code acked = -1}), and then receives a {@code
   * ReplicateAck(origin A, appliedUpTo = S)} that B's old process sent just before it died. A takes
   * it ({@code Replication.onAck} does not know which incarnation of B acknowledged) and sets
   * {@code acked = S}. The new B has applied nothing of A's log, answers every batch from {@code S
   * + 1} with {@code appliedUpTo = 0} and every pong with {@code cursor = 0}, but {@code
   * Replication.advance} never lowers {@code acked}. A ships {@code S + 1 ..} forever, B never
   * applies them, A's backlog to B never drains (anti-entropy keeps the data converged, so only the
   * backlog shows it). Seed 331: n2 is wiped at t=2275; n1 answers the new n2's ping at 2286
   * (resetting its pump), then the ack the old n2 sent at 2273 (appliedUpTo=53) arrives at 2287; n1
   * -> n2 stays at "acked 53 of head 70" while n2's store has n1's log through 0. Signature: {@code
   * ACKED_BEYOND_APPLIED}, with at most the {@code BACKLOG} it causes.
   *
   * <p>A fix: carry the acknowledging incarnation in {@code ReplicateAck} (or drop acks from a peer
   * until its current incarnation has answered a ping), or let a pong's cursor from the current
   * incarnation lower {@code acked}.
   */
  static final String STALE_ACK_ACROSS_INCARNATIONS =
      "a stale ReplicateAck from a peer's previous incarnation stalls the pump to its new one";

  /** Seeds that show it with the replica as merged last (commit a27ee3e of branch replica). */
  static final List<Long> STALE_ACK_SEEDS = List.of(250L, 331L, 469L);

  private KnownReplicaBugs() {}

  /** Whether {@code result} failed with this bug's signature and nothing else. */
  static boolean explains(SimResult result) {
    return result.misbehaviors().isEmpty()
        && result.has(Violation.Kind.ACKED_BEYOND_APPLIED)
        && result.violations().stream()
            .allMatch(
                v ->
                    v.kind() == Violation.Kind.ACKED_BEYOND_APPLIED
                        || v.kind() == Violation.Kind.BACKLOG);
  }
}
