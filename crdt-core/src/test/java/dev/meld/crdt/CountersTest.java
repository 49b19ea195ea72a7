package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Examples of {@link GCounter} and {@link PNCounter}: resets, bad input and overflow. */
class CountersTest {
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");

  @Test
  void aResetCounterReadsZeroLocallyAndKeepsConcurrentIncrements() {
    PNCounter a = new PNCounter();
    a.increment(A, 5);
    a.decrement(A, 2);
    PNCounter b = a.copy();

    a.reset(A);
    PNCounter concurrent = b.increment(B, 4);
    b.decrement(A, 1);

    assertThat(a.value()).isZero();
    a.mergeFrom(concurrent);
    assertThat(a.value()).isEqualTo(4);
    a.mergeFrom(b);
    assertThat(a.value()).isEqualTo(4 - 1);
    assertThat(b.merge(a)).isEqualTo(a);
  }

  @Test
  void aResetDeltaCarriesWhatTheResettingReplicaObserved() {
    PNCounter a = new PNCounter();
    a.increment(A, 3);
    PNCounter delta = a.reset(B);
    PNCounter peer = new PNCounter();
    peer.increment(A, 3);
    peer.mergeFrom(delta);
    assertThat(peer.value()).isZero();
  }

  @Test
  void nonPositiveAmountsAreRefusedAndNothingChanges() {
    GCounter g = new GCounter();
    PNCounter p = new PNCounter();
    assertThatThrownBy(() -> g.increment(A, 0)).hasMessage("n: 0 (expected: >= 1)");
    assertThatThrownBy(() -> p.increment(A, -3)).hasMessage("amount: -3 (expected: >= 1)");
    assertThatThrownBy(() -> p.decrement(A, 0)).hasMessage("amount: 0 (expected: >= 1)");
    assertThat(g).isEqualTo(new GCounter());
    assertThat(p).isEqualTo(new PNCounter());
  }

  @Test
  void gcounterOverflowThrowsAndLeavesTheStateUnchanged() {
    GCounter g = new GCounter();
    g.increment(A, Long.MAX_VALUE - 1);
    GCounter before = g.copy();
    assertThatThrownBy(() -> g.increment(A, 2)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> g.increment(B, 2)).isInstanceOf(ArithmeticException.class);
    assertThat(g).isEqualTo(before);
    g.increment(B, 1);
    assertThat(g.value()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void pncounterOverflowOfTheValueThrowsAndLeavesTheStateUnchanged() {
    PNCounter p = new PNCounter();
    p.increment(A, Long.MAX_VALUE);
    PNCounter before = p.copy();
    assertThatThrownBy(() -> p.increment(B, 1)).isInstanceOf(ArithmeticException.class);
    assertThat(p).isEqualTo(before);
    p.decrement(B, 1);
    assertThat(p.value()).isEqualTo(Long.MAX_VALUE - 1);
  }

  @Test
  void mergedSlotsThatOverflowTheValueMakeValueThrow() {
    GCounter a = new GCounter();
    a.increment(A, Long.MAX_VALUE);
    GCounter b = new GCounter();
    b.increment(B, 1);
    assertThatThrownBy(() -> a.merge(b).value()).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void mergeFromReportsChangeOnlyWhenSomethingChanged() {
    GCounter a = new GCounter();
    GCounter delta = a.increment(A, 2);
    assertThat(a.mergeFrom(delta)).isFalse();
    assertThat(new GCounter().mergeFrom(delta)).isTrue();
  }
}
