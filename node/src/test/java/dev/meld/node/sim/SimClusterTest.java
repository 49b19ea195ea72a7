package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.node.DrainStatus;
import dev.meld.node.ReplicaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster's mechanics over real replicas: each fault does what it says, and only that. */
class SimClusterTest {

  private final SimHistory history = new SimHistory();
  private final List<SimOp> completions = new ArrayList<>();
  private final SimCluster cluster = SimCluster.start(SimConfig.of(7, 3), history, Trace.silent());

  private void incr(int process, String node, long delta) {
    cluster.invoke(process, node, new ClientOp.CounterAdd("c", delta), completions::add);
  }

  private long counter(String node) {
    return (Long) cluster.finalReads(List.of("c"), List.of()).get(node).get("c");
  }

  private SimOp last() {
    return completions.get(completions.size() - 1);
  }

  @Test
  void writesReplicateAndTheClusterQuiets() {
    incr(1, "n1", 5);
    incr(2, "n2", -2);
    cluster.advance(1_000);
    assertThat(completions).extracting(SimOp::type).containsOnly(SimOp.Type.OK);
    assertThat(cluster.quiescent()).isTrue();
    Map<String, Map<String, Object>> reads = cluster.finalReads(List.of("c"), List.of());
    assertThat(reads.values()).allSatisfy(values -> assertThat(values).containsEntry("c", 3L));
    assertThat(cluster.failures()).isEmpty();
  }

  @Test
  void aCrashKeepsWhatWasCommittedAndTheRestartTakesANewIncarnation() {
    long before = cluster.status("n1").orElseThrow().incarnation();
    cluster.partition(Grudges.components(List.of(List.of("n1"), List.of("n2", "n3"))));
    incr(1, "n1", 4);
    cluster.advance(50);
    assertThat(last().type()).isEqualTo(SimOp.Type.OK);
    cluster.crash("n1");
    assertThat(cluster.status("n1")).isEmpty();
    cluster.restart("n1");
    assertThat(cluster.status("n1").orElseThrow().incarnation()).isNotEqualTo(before);
    assertThat(counter("n1")).isEqualTo(4);
  }

  @Test
  void aCleanStopKeepsTheIncarnation() {
    long before = cluster.status("n2").orElseThrow().incarnation();
    cluster.stop("n2");
    cluster.advance(100);
    cluster.restart("n2");
    assertThat(cluster.status("n2").orElseThrow().incarnation()).isEqualTo(before);
  }

  @Test
  void aRequestToANodeWithoutAProcessFailsAtOnce() {
    cluster.crash("n2");
    incr(1, "n2", 1);
    assertThat(last().type()).isEqualTo(SimOp.Type.FAIL);
    assertThat(last().error()).isEqualTo("connection refused");
  }

  @Test
  void aCrashMakesRequestsInFlightIndeterminate() {
    incr(1, "n3", 1);
    cluster.crash("n3");
    assertThat(last().type()).isEqualTo(SimOp.Type.INFO);
    assertThat(last().error()).isEqualTo("connection lost");
    cluster.advance(1_000);
    assertThat(completions).hasSize(1);
  }

  @Test
  void aPausedNodeHoldsRequestsPastTheClientTimeoutAndRunsThemOnResume() {
    cluster.pause("n1");
    incr(1, "n1", 1);
    incr(2, "n1", 2);
    incr(3, "n1", 4);
    cluster.advance(cluster.config().clientTimeoutMillis() + 10);
    assertThat(completions).extracting(SimOp::type).containsOnly(SimOp.Type.INFO);
    assertThat(completions).extracting(SimOp::error).containsOnly("timeout");
    assertThat(counter("n2")).isZero();
    cluster.resume("n1");
    assertThat(counter("n1")).isEqualTo(7);
    assertThat(completions).hasSize(3);
  }

  @Test
  void aPartitionHoldsWritesBackUntilItHeals() {
    cluster.partition(Grudges.components(List.of(List.of("n1"), List.of("n2", "n3"))));
    incr(1, "n1", 3);
    cluster.advance(500);
    assertThat(counter("n2")).isZero();
    cluster.heal();
    cluster.advance(1_000);
    assertThat(counter("n2")).isEqualTo(3);
  }

  @Test
  void aWipeListsTheAcknowledgedWritesOnlyThatDiskHeld() {
    incr(1, "n1", 1);
    cluster.advance(500);
    long replicated = completions.get(0).index() - 1;
    cluster.partition(Grudges.components(List.of(List.of("n1"), List.of("n2", "n3"))));
    incr(1, "n1", 10);
    cluster.advance(50);
    long stranded =
        history.ops().stream()
            .filter(op -> op.type() == SimOp.Type.INVOKE)
            .reduce((a, b) -> b)
            .orElseThrow()
            .index();
    assertThat(last().type()).isEqualTo(SimOp.Type.OK);
    cluster.wipe("n1");
    SimOp wipe = history.ops().get(history.size() - 1);
    assertThat(wipe.f()).isEqualTo("wipe");
    assertThat(((Map<?, ?>) wipe.value()).get("unreplicated")).isEqualTo(List.of(stranded));
    assertThat(stranded).isNotEqualTo(replicated);
    cluster.heal();
    cluster.advance(3_000);
    assertThat(counter("n1")).isEqualTo(1);
  }

  @Test
  void aSkewMovesOnlyThatNodesClock() {
    cluster.skewClock("n2", 5_000);
    cluster.jumpClock("n2", -1_000);
    cluster.advance(20);
    SimNode n1 = cluster.node("n1");
    SimNode n2 = cluster.node("n2");
    n1.syncClock(cluster.now());
    n2.syncClock(cluster.now());
    assertThat(n2.clock.currentTimeMillis() - n1.clock.currentTimeMillis()).isEqualTo(4_000);
  }

  @Test
  void aJoinedNodeCatchesUpAndALeavingNodeDrainsAndGoes() {
    incr(1, "n1", 6);
    cluster.advance(200);
    String joined = cluster.join();
    assertThat(cluster.members()).containsExactly("n1", "n2", "n3", joined);
    cluster.advance(3_000);
    assertThat(counter(joined)).isEqualTo(6);
    assertThat(cluster.status("n1").orElseThrow().members())
        .extracting(ReplicaStatus.MemberStatus::name)
        .contains(joined);
    cluster.leave("n2", 1_500);
    assertThat(cluster.drainStatus("n2").state()).isEqualTo(DrainStatus.State.RUNNING);
    incr(2, "n2", 1);
    cluster.advance(2_000);
    assertThat(completions.get(completions.size() - 1).error()).startsWith("READONLY");
    assertThat(cluster.members()).containsExactly("n1", "n3", joined);
    assertThat(history.ops()).extracting(SimOp::f).contains("leave-done");
    cluster.advance(3_000);
    assertThat(cluster.quiescent()).isTrue();
  }

  @Test
  void unknownNodesAreRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> cluster.crash("n9"))
        .hasMessage("node: \"n9\" (expected: one of [n1, n2, n3])");
    assertThatThrownBy(() -> cluster.advance(-1)).hasMessage("millis: -1 (expected: >= 0)");
  }
}
