package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A {@link PNCounter} read and rebuilt row by row, as the node stores it (one slot per replica):
 * the rows read back build an equal counter with the same canonical encoding, and rows no counter
 * can have are refused.
 */
class PNCounterSlotsTest {
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = new ReplicaId("b", 9);
  private static final ReplicaId C = ReplicaId.of("c");

  @Test
  void aCounterRebuiltFromItsRowsIsEqualAndEncodesAlike() {
    PNCounter counter = new PNCounter();
    counter.increment(B, 7);
    counter.decrement(A, 3);
    counter.reset(C);
    counter.increment(C, 2);

    TreeMap<ReplicaId, long[]> rows = new TreeMap<>();
    for (int row = 0; row < counter.rows(); row++) {
      rows.put(counter.replicaAt(row), counter.slotsOf(counter.replicaAt(row)));
    }
    PNCounter rebuilt = PNCounter.ofSlots(rows);

    assertThat(rows.keySet()).containsExactly(A, B, C);
    assertThat(counter.slotsOf(A)).containsExactly(0, 3, 0, 3);
    assertThat(counter.slotsOf(ReplicaId.of("never"))).containsExactly(0, 0, 0, 0);
    assertThat(rebuilt).isEqualTo(counter);
    assertThat(CrdtCodec.encode(rebuilt)).isEqualTo(CrdtCodec.encode(counter));
    assertThat(rebuilt.value()).isEqualTo(2);
    assertThat(PNCounter.ofSlots(new TreeMap<>())).isEqualTo(new PNCounter());
  }

  @Test
  void rowsNoCounterHasAreRefused() {
    for (long[] bad :
        new long[][] {{0, 0, 0, 0}, {1, 0, 2, 0}, {0, 1, 0, 2}, {-1, 1, 0, 0}, {1, 1, 1}}) {
      TreeMap<ReplicaId, long[]> rows = new TreeMap<>();
      rows.put(A, bad);
      assertThatThrownBy(() -> PNCounter.ofSlots(rows))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("slots of a#0");
    }
    TreeMap<ReplicaId, long[]> reversed = new TreeMap<>(Comparator.reverseOrder());
    assertThatThrownBy(() -> PNCounter.ofSlots(reversed))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
