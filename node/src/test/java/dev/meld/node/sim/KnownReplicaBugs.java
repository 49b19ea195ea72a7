package dev.meld.node.sim;

import java.util.List;

/**
 * Seeds that fail because of a bug the simulator found in the replica core (branch {@code replica})
 * and that is not fixed yet. The sweep in {@link SimulationTest} tolerates these seeds only while
 * they fail exactly as described here; {@link KnownReplicaBugsTest} runs them expecting them to
 * pass, and is switched on with {@code -Dmeld.sim.knownBugs=true} until the fix lands.
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
   * backlog shows it). Seed 331: n2 wiped at t=2275, stale ack (appliedUpTo=50, sent at 2271)
   * delivered to n3 at 2282 after n3's pong to the new n2 at 2281; n3 -> n2 stays at "acked 50 of
   * head 66" through the quiesce bound.
   *
   * <p>A fix: carry the acknowledging incarnation in {@code ReplicateAck} (or drop acks from a peer
   * until its current incarnation has answered a ping), or let a pong's cursor from the current
   * incarnation lower {@code acked}.
   */
  static final String STALE_ACK_ACROSS_INCARNATIONS =
      "a stale ReplicateAck from a peer's previous incarnation stalls the pump to its new one";

  /** The seeds that show it, each failing with BACKLOG only. */
  static final List<Long> STALE_ACK_SEEDS = List.of(196L, 331L, 1570L, 1797L);

  private KnownReplicaBugs() {}

  /** Whether {@code result} is one of the known failures, failing exactly as documented. */
  static boolean explains(SimResult result) {
    return result.misbehaviors().isEmpty()
        && STALE_ACK_SEEDS.contains(result.scenario().seed())
        && !result.violations().isEmpty()
        && result.violations().stream().allMatch(v -> v.kind() == Violation.Kind.BACKLOG);
  }
}
