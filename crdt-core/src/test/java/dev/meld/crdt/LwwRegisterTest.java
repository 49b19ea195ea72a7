package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Examples of {@link LwwRegister}: who wins, tombstones, ties and the empty register. */
class LwwRegisterTest {
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");

  @Test
  void theHigherStampWinsThenTheHigherReplica() {
    LwwRegister<String> r = new LwwRegister<>(ElementCodec.UTF8);
    r.set(B, 10, "late");
    r.set(A, 9, "early");
    assertThat(r.value()).contains("late");
    r.set(A, 10, "tie, lower replica");
    assertThat(r.value()).contains("late");
    r.set(B, 11, "later");
    assertThat(r.value()).contains("later");
    assertThat(r.stamp()).isEqualTo(11);
    assertThat(r.writer()).contains(B);
  }

  @Test
  void aTombstoneIsAStampedWrite() {
    LwwRegister<String> r = new LwwRegister<>(ElementCodec.UTF8);
    r.set(A, 5, "v");
    LwwRegister<String> delete = r.delete(A, 6);
    assertThat(r.isDeleted()).isTrue();
    assertThat(r.value()).isEmpty();
    LwwRegister<String> peer = new LwwRegister<>(ElementCodec.UTF8);
    peer.set(B, 7, "newer");
    assertThat(peer.merge(delete).value()).contains("newer");
  }

  @Test
  void theEmptyRegisterIsTheBottom() {
    LwwRegister<String> empty = new LwwRegister<>(ElementCodec.UTF8);
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.stamp()).isEqualTo(-1);
    assertThat(empty.writer()).isEmpty();
    LwwRegister<String> written = new LwwRegister<>(ElementCodec.UTF8);
    written.delete(A, 0);
    assertThat(empty.merge(written)).isEqualTo(written);
    assertThat(written.merge(empty)).isEqualTo(written);
  }

  @Test
  void aFullTieIsBrokenByTheValueBytesTheSameWayOnBothSides() {
    LwwRegister<String> x = new LwwRegister<>(ElementCodec.UTF8);
    x.set(A, 3, "x");
    LwwRegister<String> y = new LwwRegister<>(ElementCodec.UTF8);
    y.set(A, 3, "y");
    LwwRegister<String> tomb = new LwwRegister<>(ElementCodec.UTF8);
    tomb.delete(A, 3);
    assertThat(x.merge(y)).isEqualTo(y.merge(x));
    assertThat(x.merge(y).value()).contains("y");
    assertThat(tomb.merge(x).value()).contains("x");
    assertThat(x.merge(tomb).value()).contains("x");
  }

  @Test
  void aNegativeStampIsRefusedAndNothingChanges() {
    LwwRegister<String> r = new LwwRegister<>(ElementCodec.UTF8);
    assertThatThrownBy(() -> r.set(A, -1, "v")).hasMessage("stamp: -1 (expected: >= 0)");
    assertThatThrownBy(() -> r.delete(A, -5)).hasMessage("stamp: -5 (expected: >= 0)");
    assertThat(r.isEmpty()).isTrue();
  }
}
