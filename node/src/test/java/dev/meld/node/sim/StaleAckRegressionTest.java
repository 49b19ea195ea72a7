package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A replica bug the simulator found: a stale acknowledgement from a peer's previous incarnation
 * stalled the pump to its new one.
 *
 * <p>Node B is wiped (or crashes) and restarts under a new incarnation. Node A hears the new
 * incarnation's ping and resets its pump to B, then receives a {@code ReplicateAck(appliedUpTo =
 * S)} that B's old process sent just before it died. The ack did not say which incarnation of B
 * sent it, so A took it; the new B, which had applied nothing, answered every batch from {@code S +
 * 1} and every pong with cursor 0, and a pump never moves back, so A's backlog to B never drained
 * (anti-entropy kept the data converged; the simulator saw {@code ACKED_BEYOND_APPLIED} and {@code
 * BACKLOG}). Seed 331 with the replica as of commit a27ee3e: n2 is wiped at t=2275; n1 answers the
 * new n2's ping at 2286; the ack the old n2 sent at 2273 (appliedUpTo=53) arrives at 2287; n1 -> n2
 * stays at "acked 53 of head 70" while n2's store has n1's log through 0.
 *
 * <p>The fix: an ack names the incarnation that sent it and counts only if that is the peer's
 * current one (the unit regression test is {@code
 * ReplicationTest#aStaleAckFromAPeersPreviousIncarnationDoesNotStallReplicationToItsNewOne}). These
 * are the seeds that showed the bug; which seeds reach that interleaving moves whenever the
 * replica's schedule changes, so the unit test is the one that pins the interleaving itself.
 */
class StaleAckRegressionTest {

  static final List<Long> SEEDS = List.of(250L, 331L, 469L);

  @Test
  void theSeedsThatShowedAStaleAckStallingAPumpPassEveryCheck() {
    for (long seed : SEEDS) {
      SimResult result = Simulation.run(seed, Set.of(), Trace.silent());
      assertThat(result.violations()).as(result.report()).isEmpty();
    }
  }
}
