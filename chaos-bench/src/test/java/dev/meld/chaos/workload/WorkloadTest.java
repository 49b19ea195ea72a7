package dev.meld.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.history.OpType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void counterRequestsAreSmallNonZeroDeltasAndLocalReadsOnItsKeys() {
    Workload w = Workloads.named("counter");
    Random random = new Random(1);
    int reads = 0;
    int decrements = 0;
    for (int i = 0; i < 10_000; i++) {
      Request r = w.next("n1", random);
      assertThat(w.keys()).contains(r.key());
      if (r.kind() == Request.Kind.COUNTER_READ) {
        reads++;
        assertThat(r.f()).isEqualTo("local-read");
      } else {
        assertThat(r.kind()).isEqualTo(Request.Kind.COUNTER_ADD);
        assertThat(Math.abs(r.argument())).isBetween(1L, 5L);
        decrements += r.argument() < 0 ? 1 : 0;
      }
    }
    assertThat(reads).isBetween(1_700, 2_300);
    assertThat(decrements).isBetween(2_000, 2_800);
    assertThat(w.checkers()).containsOnlyKeys("pn-counter", "pn-counter-final", "local-reads");
  }

  @Test
  void setAddsAreUniqueAcrossKeysAndClients() {
    Workload w = Workloads.named("set");
    Set<Long> seen = new HashSet<>();
    Random random = new Random(2);
    for (int i = 0; i < 5_000; i++) {
      Request r = w.next("n" + (i % 3 + 1), random);
      if (r.kind() == Request.Kind.SET_ADD) {
        assertThat(seen.add(r.argument())).as("element %d added twice", r.argument()).isTrue();
      } else {
        assertThat(r.kind()).isEqualTo(Request.Kind.SET_READ);
      }
    }
    assertThat(w.checkers()).containsOnlyKeys("set-full");
  }

  /** The RESURRECTED caveat: a remove goes to the node that acknowledged the add, once. */
  @Test
  void removesGoOnlyToTheNodeThatAcknowledgedTheAddAndOnlyOnce() {
    Workload w = Workloads.named("set-removes");
    Random random = new Random(3);
    List<Request> ackedByN1 = new ArrayList<>();
    Set<Long> removed = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      String node = i % 2 == 0 ? "n1" : "n2";
      Request r = w.next(node, random);
      if (r.kind() == Request.Kind.SET_ADD) {
        OpType outcome = i % 7 == 0 ? OpType.INFO : OpType.OK;
        w.completed(node, r, outcome);
        if (node.equals("n1") && outcome == OpType.OK) {
          ackedByN1.add(r);
        }
      } else if (r.kind() == Request.Kind.SET_REMOVE) {
        assertThat(removed.add(r.argument())).isTrue();
        if (node.equals("n1")) {
          assertThat(ackedByN1).anyMatch(a -> a.argument() == r.argument() && a.key().equals(r.key()));
        }
      }
    }
    assertThat(removed).hasSizeGreaterThan(500);
    assertThat(w.checkers()).containsOnlyKeys("set-removes");
  }

  @Test
  void aNodeThatLostItsDataRemovesNothingItAcknowledgedBefore() {
    Workload w = Workloads.named("set-removes");
    Random random = new Random(4);
    for (int i = 0; i < 200; i++) {
      Request r = w.next("n1", random);
      if (r.kind() == Request.Kind.SET_ADD) {
        w.completed("n1", r, OpType.OK);
      }
    }
    w.nodeLostData("n1");
    for (int i = 0; i < 1_000; i++) {
      assertThat(w.next("n1", random).kind()).isNotEqualTo(Request.Kind.SET_REMOVE);
    }
  }

  @Test
  void finalReadsCoverEveryKey() {
    for (String name : Workloads.names()) {
      Workload w = Workloads.named(name);
      assertThat(w.finalReads()).extracting(Request::key).containsExactlyElementsOf(w.keys());
      assertThat(w.finalReads()).allSatisfy(r -> assertThat(r.f()).isEqualTo("final-read"));
    }
  }

  @Test
  void badSharesAndKeysSayWhatWasExpected() {
    assertThatThrownBy(() -> new CounterWorkload(0, 0.1, 0.1)).hasMessage("keys: 0 (expected: 1..64)");
    assertThatThrownBy(() -> new SetWorkload(3, 0.6, 0.5))
        .hasMessage("readShare + removeShare: 1.1 (expected: < 1, leaving room for adds)");
    assertThatThrownBy(() -> new CounterWorkload(2, 1.0, 0.1)).hasMessage("readShare: 1.0 (expected: in [0, 1))");
    assertThatThrownBy(() -> Workloads.named("queue"))
        .hasMessage("workload: \"queue\" (expected: one of counter, set, set-removes)");
    assertThatThrownBy(() -> new Request(Request.Kind.COUNTER_ADD, "c0", 0)).hasMessage("delta: 0 (expected: non-zero)");
  }

  @Test
  void historyValuesAreIndependentTuples() {
    assertThat(new Request(Request.Kind.COUNTER_ADD, "c1", -3).invokeValue()).containsExactly("c1", -3L);
    assertThat(new Request(Request.Kind.SET_READ, "s0", 0).invokeValue()).containsExactly("s0", null);
    assertThat(new Request(Request.Kind.SET_READ, "s0", 0).okValue(List.of(3L, 1L))).containsExactly("s0", List.of(3L, 1L));
  }

  @Test
  void aSetMemberTheWorkloadNeverAddedIsReportedWithItsNode() {
    assertThat(Request.elements("n1", List.of("3", "10"))).containsExactly(3L, 10L);
    assertThatThrownBy(() -> Request.elements("n2", List.of("x")))
        .hasMessage("n2: set member: \"x\" (expected: a decimal element the workload added)");
  }
}
