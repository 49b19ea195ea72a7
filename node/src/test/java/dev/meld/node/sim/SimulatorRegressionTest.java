package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bugs found in the simulator itself, each with its story and the seed that showed it. */
class SimulatorRegressionTest {

  /**
   * Seed 498 reported acknowledged increments missing: n1's writes lived on n1 and n2 only (n3 was
   * partitioned), n1 was wiped, then n2 was wiped, destroying their last copy. The wipe of n2
   * listed only n2's own writes as unreplicated, so n1's writes counted as
   * acknowledged-and-durable. A wipe must list every acknowledged write that only the wiped disk
   * still holds.
   */
  @Test
  void aWipeThatDestroysTheLastCopyOfAnotherNodesWritesListsThem() {
    SimHistory history = new SimHistory();
    SimCluster cluster = SimCluster.start(SimConfig.of(3, 3), history, Trace.silent());
    List<SimOp> done = new ArrayList<>();
    cluster.partition(Grudges.components(List.of(List.of("n1", "n2"), List.of("n3"))));
    cluster.invoke(1, "n1", new ClientOp.CounterAdd("c", 5), done::add);
    cluster.advance(300);
    long write = done.get(0).index() - 1;
    assertThat(done.get(0).type()).isEqualTo(SimOp.Type.OK);
    cluster.wipe("n1");
    assertThat(unreplicated(history)).isEmpty();
    cluster.wipe("n2");
    assertThat(unreplicated(history)).isEqualTo(List.of(write));
  }

  /**
   * A write executed just before a wipe whose reply reached the client just after it was missing
   * from the wipe's list (writes entered the ledger when the reply arrived), so losing it read as a
   * lost acknowledged write. Writes enter the ledger when they execute.
   */
  @Test
  void aWriteWhoseReplyIsInFlightDuringAWipeIsListed() {
    SimHistory history = new SimHistory();
    SimCluster cluster = SimCluster.start(SimConfig.of(5, 3), history, Trace.silent());
    List<SimOp> done = new ArrayList<>();
    cluster.partition(Grudges.components(List.of(List.of("n1"), List.of("n2", "n3"))));
    cluster.invoke(1, "n1", new ClientOp.CounterAdd("c", 5), done::add);
    long write = history.size() - 1;
    for (int i = 0; i < 10 && !cluster.node("n1").pending.isEmpty(); i++) {
      cluster.advance(1);
    }
    assertThat(cluster.node("n1").pending).isEmpty();
    assertThat(done).isEmpty();
    cluster.wipe("n1");
    assertThat(unreplicated(history)).isEqualTo(List.of(write));
    cluster.advance(10);
    assertThat(done).extracting(SimOp::type).containsExactly(SimOp.Type.OK);
  }

  @Test
  void seed498PassesWithBothWipesAccountedFor() {
    SimResult result = Simulation.run(498, Set.of(), Trace.silent());
    assertThat(result.violations()).as(result.report()).isEmpty();
  }

  private static List<?> unreplicated(SimHistory history) {
    SimOp last = history.ops().get(history.size() - 1);
    assertThat(last.f()).isEqualTo("wipe");
    return (List<?>) ((Map<?, ?>) last.value()).get("unreplicated");
  }
}
