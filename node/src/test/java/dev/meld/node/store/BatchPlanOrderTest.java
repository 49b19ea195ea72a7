package dev.meld.node.store;

import static dev.meld.node.store.StoreFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner keeps a batch's cells in a hash map (cheaper per command than a sorted map); a plan
 * still lists its changes as a sorted overlay did: range deletes first, then the point changes of
 * each space in key order, whatever order the batch wrote them in; and a range delete reaches the
 * cells inside its range only. Log appends under origins that alternate each follow their own
 * origin's head (the planner keeps the last origin's keys).
 */
class BatchPlanOrderTest {

  private final MemoryEngine engine = new MemoryEngine(Map.of());

  private BatchPlanner.Plan plan(StoreBatch batch) {
    return BatchPlanner.plan(engine, TestHashes.FIRST_BYTE, 0, batch);
  }

  private static StoreBatch batch() {
    return new StoreBatch(StoreLimits.DEFAULTS);
  }

  @Test
  void pointChangesComeInKeyOrderWithinEachSpace() {
    StoreBatch batch = batch();
    for (int k : new int[] {9, 3, 200, 1, 128, 7}) {
      batch.put(bytes(k), bytes(k));
      batch.putPiece(bytes(5), bytes(k), bytes(k));
    }

    List<Change> changes = plan(batch).changes();

    assertThat(changes).hasSize(13); // 6 records, 6 pieces, then the key count
    assertThat(changes.subList(0, 12)).isSortedAccordingTo(
        (a, b) -> a.space() != b.space()
            ? a.space().compareTo(b.space())
            : MemoryEngine.ORDER.compare(((Change.Put) a).key(), ((Change.Put) b).key()));
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
    assertThat(changes.get(0)).isInstanceOf(Change.DeleteRange.class);
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
