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

/** A pre-fill's plan, and what a set workload does differently with one. */
class PrefillWorkloadTest {

  @Test
  void chunksCoverEachSetsElementsOnceInOrderAndTheWorkloadStartsAfterThem() {
    Prefill p = new Prefill(2_500, 2);
    assertThat(p.chunks()).isEqualTo(3);
    List<Long> all = new ArrayList<>();
    for (int set = 0; set < 2; set++) {
      for (int chunk = 0; chunk < p.chunks(); chunk++) {
        all.addAll(p.chunk(set, chunk));
      }
    }
    assertThat(p.chunk(0, 0)).hasSize(Prefill.CHUNK).startsWith(0L, 1L).endsWith(999L);
    assertThat(p.chunk(0, 2)).hasSize(500).startsWith(2_000L).endsWith(2_499L);
    assertThat(p.chunk(1, 0)).startsWith(2_500L);
    assertThat(all).hasSize(5_000).doesNotHaveDuplicates();
    assertThat(all.get(all.size() - 1)).isEqualTo(4_999L);
    assertThat(p.workloadElements()).isEqualTo(5_000L);
    assertThat(p.keys(List.of("s0", "s1", "s2"))).containsExactly("s0", "s1");
  }

  @Test
  void badPlansSayWhatWasExpected() {
    assertThatThrownBy(() -> new Prefill(0, 1)).hasMessage("prefill.members: 0 (expected: 1..10000000)");
    assertThatThrownBy(() -> new Prefill(10_000_001, 1))
        .hasMessage("prefill.members: 10000001 (expected: 1..10000000)");
    assertThatThrownBy(() -> new Prefill(10, 0)).hasMessage("prefill.sets: 0 (expected: 1..64)");
    assertThatThrownBy(() -> new Prefill(10, 4).keys(List.of("s0", "s1", "s2")))
        .hasMessage("prefill.sets: 4 (expected: at most the workload's 3 sets)");
    assertThatThrownBy(() -> new Prefill(2_500, 1).chunk(0, 3)).hasMessage("chunk: 3 (expected: 0..2)");
    assertThatThrownBy(() -> Workloads.named("counter", new Prefill(10, 1)))
        .hasMessage("prefill: 10 members (expected: none for workload counter: only set and set-removes"
            + " have sets to pre-fill)");
    assertThatThrownBy(() -> Workloads.named("set", new Prefill(10, 4)))
        .hasMessage("prefill.sets: 4 (expected: at most the workload's 3 sets)");
  }

  @Test
  void oneRequestInTwoHundredReadsAPrefilledSetAndNoOtherReadDoes() {
    Workload w = Workloads.named("set-removes", new Prefill(1_000, 1));
    Random random = new Random(5);
    Set<Long> added = new HashSet<>();
    int otherReads = 0;
    for (int i = 0; i < 4_000; i++) {
      Request r = w.next("n" + (i % 3 + 1), random);
      boolean rationed = i % SetWorkload.PREFILLED_READ_EVERY == SetWorkload.PREFILLED_READ_EVERY - 1;
      if (rationed) {
        assertThat(r.kind()).as("request %d", i).isEqualTo(Request.Kind.SET_READ);
        assertThat(r.key()).isEqualTo("s0");
      } else if (r.kind() == Request.Kind.SET_READ) {
        assertThat(r.key()).as("request %d", i).isIn("s1", "s2");
        otherReads++;
      } else if (r.kind() == Request.Kind.SET_ADD) {
        assertThat(r.argument()).as("after the pre-filled elements").isGreaterThanOrEqualTo(1_000L);
        assertThat(added.add(r.argument())).isTrue();
      }
    }
    assertThat(otherReads).isBetween(650, 950);
  }

  @Test
  void withEverySetPrefilledTheRationedReadsAreTheOnlyReadsAndTakeTheSetsInTurn() {
    Workload w = Workloads.named("set", new Prefill(10, 3));
    Random random = new Random(6);
    List<String> readKeys = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      Request r = w.next("n1", random);
      if (r.kind() == Request.Kind.SET_READ) {
        readKeys.add(r.key());
      } else {
        assertThat(r.kind()).isEqualTo(Request.Kind.SET_ADD);
      }
    }
    assertThat(readKeys).containsExactly("s0", "s1", "s2", "s0", "s1", "s2");
  }

  @Test
  void prefilledMembersAreRemovedOnlyThroughTheNodeThatAcknowledgedThem() {
    Workload w = Workloads.named("set-removes", new Prefill(1_000, 1));
    w.prefilled("n1", "s0", new Prefill(1_000, 1).chunk(0, 0));
    Random random = new Random(7);
    Set<Long> removed = new HashSet<>();
    for (int i = 0; i < 3_000; i++) {
      String node = i % 2 == 0 ? "n1" : "n2";
      Request r = w.next(node, random);
      if (r.kind() == Request.Kind.SET_REMOVE) {
        assertThat(removed.add(r.argument())).isTrue();
        if (r.argument() < 1_000) {
          assertThat(node).isEqualTo("n1");
          assertThat(r.key()).isEqualTo("s0");
        }
      } else if (r.kind() == Request.Kind.SET_ADD) {
        w.completed(node, r, OpType.OK);
      }
    }
    assertThat(removed).anyMatch(e -> e < 1_000);
    w.nodeLostData("n1");
    for (int i = 0; i < 1_000; i++) {
      Request r = w.next("n1", random);
      assertThat(r.kind()).isNotEqualTo(Request.Kind.SET_REMOVE);
    }
  }

  @Test
  void aPrefilledWorkloadWithRemovesIsAlsoJudgedBySetFullOverItsKeptElements() {
    assertThat(Workloads.named("set-removes", new Prefill(10, 1)).checkers())
        .containsOnlyKeys("set-removes", "set-full-kept");
    assertThat(Workloads.named("set", new Prefill(10, 1)).checkers()).containsOnlyKeys("set-full");
    assertThat(Workloads.named("set-removes", new Prefill(10, 1)).prefill()).contains(new Prefill(10, 1));
    assertThat(Workloads.named("set-removes").prefill()).isEmpty();
  }

  @Test
  void withoutAPrefillTheWorkloadDrawsExactlyTheRequestsItDrewBefore() {
    // The simulator's seeds replay histories op for op: without a pre-fill the draws must not change.
    SetWorkload now = new SetWorkload(3, 0.2, 0);
    Random a = new Random(8);
    Random b = new Random(8);
    long adds = 0;
    for (int i = 0; i < 2_000; i++) {
      Request r = now.next("n1", a);
      Request.Kind kind = b.nextDouble() < 0.2 ? Request.Kind.SET_READ : Request.Kind.SET_ADD;
      assertThat(r.kind()).as("request %d", i).isEqualTo(kind);
      assertThat(r.key()).isEqualTo("s" + b.nextInt(3));
      if (kind == Request.Kind.SET_ADD) {
        assertThat(r.argument()).as("elements count from 0").isEqualTo(adds++);
      }
    }
  }
}
