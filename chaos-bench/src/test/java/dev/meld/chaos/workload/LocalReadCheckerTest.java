package dev.meld.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replica reads of one counter: stale is allowed, forgetting the node's own acknowledgements is not. */
class LocalReadCheckerTest {

  private final List<Op> ops = new ArrayList<>();

  private LocalReadCheckerTest op(OpType type, long process, String f, Object value, String node) {
    ops.add(new Op(ops.size(), ops.size(), type, process, f, value, Map.of("node", node)));
    return this;
  }

  private LocalReadCheckerTest add(long process, String node, long delta, OpType outcome) {
    return op(OpType.INVOKE, process, "add", delta, node).op(outcome, process, "add", delta, node);
  }

  private LocalReadCheckerTest read(long process, String node, long value) {
    return op(OpType.INVOKE, process, "local-read", null, node).op(OpType.OK, process, "local-read", value, node);
  }

  private LocalReadCheckerTest wipe(String node) {
    return dataLoss("wipe", List.of(node), node);
  }

  private LocalReadCheckerTest dataLoss(String f, Object value, String node) {
    ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, "nemesis", f, null, Map.of()));
    ops.add(new Op(ops.size(), ops.size(), OpType.INFO, "nemesis", f, value, Map.of("targets", List.of(node))));
    return this;
  }

  private CheckResult check() {
    return new LocalReadChecker().check(History.of(ops));
  }

  @Test
  void aReplicaMayLagWritesAcknowledgedElsewhere() {
    add(0, "n1", 3, OpType.OK).add(1, "n2", 2, OpType.OK).read(1, "n2", 2);
    assertThat(check().valid()).isEqualTo(Validity.TRUE);
    assertThat(check().get("read-count")).isEqualTo(1);
  }

  @Test
  void aReplicaMustNotForgetWhatItAcknowledged() {
    add(0, "n1", 3, OpType.OK).add(0, "n1", 4, OpType.OK).read(0, "n1", 3);
    CheckResult r = check();
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    Map<String, Object> error = Map.of("index", 5L, "node", "n1", "lower", 7L, "value", 3L, "upper", 7L);
    assertThat(r.get("errors")).isEqualTo(List.of(error));
  }

  @Test
  void aReadAboveEveryDeltaInvokedIsAPhantom() {
    add(0, "n1", 3, OpType.OK).add(0, "n1", 5, OpType.FAIL).read(1, "n2", 8);
    assertThat(check().valid()).isEqualTo(Validity.FALSE);
  }

  @Test
  void decrementsInvokedElsewhereMayAlreadyBeIn() {
    op(OpType.INVOKE, 2, "add", -4L, "n3");
    add(0, "n1", 3, OpType.OK).read(0, "n1", -1);
    op(OpType.INFO, 2, "add", -4L, "n3");
    assertThat(check().valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void anIndeterminateAddMayOrMayNotBeIn() {
    add(0, "n1", 3, OpType.INFO).read(1, "n1", 3).read(1, "n1", 0);
    assertThat(check().valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void aWipedNodeOwesNothingItAcknowledgedBeforeTheWipe() {
    add(0, "n1", 3, OpType.OK).wipe("n1").read(0, "n1", 0);
    assertThat(check().valid()).isEqualTo(Validity.TRUE);
    add(0, "n1", 2, OpType.OK).read(0, "n1", 0);
    assertThat(check().valid()).isEqualTo(Validity.FALSE);
  }

  @Test
  void aRestoredNodeOwesNothingItAcknowledgedBeforeTheRestore() {
    // Its copy predates some of its acknowledgements: a checker that knew only the wipe as a loss
    // would hold a restored node's reads to writes its copy never saw.
    add(0, "n1", 3, OpType.OK).dataLoss("restore", Map.of("nodes", List.of("n1"), "copy", "latest"), "n1").read(0, "n1", 0);
    assertThat(check().valid()).isEqualTo(Validity.TRUE);
    add(0, "n1", 2, OpType.OK).read(0, "n1", 0);
    assertThat(check().valid()).isEqualTo(Validity.FALSE);
  }
}
