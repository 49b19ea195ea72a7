package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner keeps a batch's cells in a hash map (cheaper per command than a sorted map): a plan
 * lists its range deletes first, then one change per changed key, the last value written to it; a
 * range delete reaches the cells inside its range only. Log appends under origins that alternate
 * each follow their own origin's head (the planner keeps the last origin's keys).
 */
class BatchPlanTest {

  private final MemoryEngine engine = new MemoryEngine(Map.of());

  private BatchPlanner.Plan plan(StoreBatch batch) {
    return BatchPlanner.plan(engine, TestHashes.FIRST_BYTE, 0, batch);
  }

  private static StoreBatch batch() {
    return new StoreBatch(StoreLimits.DEFAULTS);
  }

  @Test
  void eachChangedKeyComesOnceWithTheLastValueWrittenToIt() {
    StoreBatch batch = batch();
    int[] keys = {9, 3, 200, 1, 128, 7};
    for (int round = 0; round < 2; round++) {
      for (int k : keys) {
        batch.put(bytes(k), bytes(k, round));
        batch.putPiece(bytes(5), bytes(k), bytes(k, round));
      }
    }

    List<Change> changes = plan(batch).changes();

    assertThat(changes).hasSize(13); // 6 records, 6 pieces, then the key count
    for (Space space : List.of(Space.RECORDS, Space.PIECES)) {
      List<Change.Put> puts =
          changes.stream()
              .filter(c -> c.space() == space)
              .map(c -> (Change.Put) c)
              .toList();
      assertThat(puts).hasSize(keys.length);
      assertThat(puts).allMatch(p -> p.value()[1] == 1); // the second round's
      assertThat(puts.stream().map(p -> new java.math.BigInteger(1, p.key())).distinct())
          .hasSize(keys.length);
    }
  }

  @Test
  void aRangeDeleteDropsTheCellsInsideItAndKeepsTheOthers() {
    engine.write(List.of(new Change.Put(Space.PIECES, pieceKey(4, 1), bytes(1))), false);
    StoreBatch batch = batch()
        .putPiece(bytes(3), bytes(1), bytes(31)) // below the deleted range
        .putPiece(bytes(4), bytes(2), bytes(42)) // inside: staged, then dropped by the range
        .putPiece(bytes(6), bytes(1), bytes(61)) // above it
        .deletePieces(bytes(4));

    List<Change> changes = plan(batch).changes();

    assertThat(changes).hasSize(3);
    assertThat(changes.get(0)).isInstanceOf(Change.DeleteRange.class); // ranges come first
    assertThat(changes.subList(1, 3))
        .extracting(c -> ((Change.Put) c).value()[0])
        .containsExactlyInAnyOrder((byte) 31, (byte) 61);
  }

  @Test
  void appendsUnderAlternatingOriginsEachFollowTheirOwnHead() {
    Origin a = new Origin("a", 0);
    Origin b = new Origin("b", 3);

    BatchPlanner.Plan plan =
        plan(batch().appendLog(a, 1, bytes(1)).appendLog(b, 1, bytes(2)).appendLog(a, 2, bytes(3)));

    assertThat(plan.changes()).hasSize(5); // two heads, three entries

    assertThatThrownBy(
            () ->
                plan(
                    batch()
                        .appendLog(a, 1, bytes(1))
                        .appendLog(b, 1, bytes(2))
                        .appendLog(b, 1, bytes(3))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("log seq of b");
  }

  private static byte[] pieceKey(int key, int piece) {
    return Keys.concat(
        Keys.piecePrefix(TestHashes.FIRST_BYTE.applyAsLong(bytes(key)), bytes(key)), bytes(piece));
  }
}
