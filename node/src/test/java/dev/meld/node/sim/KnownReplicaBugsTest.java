package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Expected to pass once the replica bugs in {@link KnownReplicaBugs} are fixed; off by default so
 * the default run stays green meanwhile. Run with {@code -Dmeld.sim.knownBugs=true}.
 */
@EnabledIfSystemProperty(named = "meld.sim.knownBugs", matches = "true")
class KnownReplicaBugsTest {

  @Test
  void aStaleAckFromAPeersEarlierIncarnationDoesNotStallItsPump() {
    for (long seed : KnownReplicaBugs.STALE_ACK_SEEDS) {
      SimResult result = Simulation.run(seed, Set.of(), Trace.silent());
      assertThat(result.violations()).as(result.report()).isEmpty();
    }
  }
}
