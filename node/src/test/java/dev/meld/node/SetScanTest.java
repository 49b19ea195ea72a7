package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SSCAN's promises, as Redis states them, over a set kept in pieces. */
class SetScanTest {

  private static final Bytes SET = Bytes.utf8("s");
  private static final int SIZE = 3_000;

  private final Outbox out = (to, m) -> {};
  private Replica replica;

  @BeforeEach
  void fill() {
    replica =
        Replica.open(
            ReplicaConfig.builder("solo").build(),
            MemoryRecordStore.create(KeyHashing::keyHash64),
            new ManualClock(TestCluster.START),
            new SplittableRandom(1));
    List<Command> adds = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) {
      adds.add(new Command.SetAdd(SET, member(i)));
    }
    replica.executeAll(adds, out);
  }

  private static Bytes member(int i) {
    return Bytes.utf8("member-" + i);
  }

  private Reply.Scan step(long cursor, int count, String match) {
    return (Reply.Scan)
        replica.execute(
            new Command.SetScan(SET, cursor, count, match == null ? null : Bytes.utf8(match)), out);
  }

  @Test
  void aFullIterationReturnsEveryMemberExactlyOnceWhenNothingChanges() {
    List<Bytes> seen = new ArrayList<>();
    long cursor = 0;
    int steps = 0;
    do {
      Reply.Scan scan = step(cursor, 37, null);
      seen.addAll(scan.elements());
      cursor = scan.cursor();
      steps++;
    } while (cursor != 0 && steps < 10_000);
    assertThat(seen).hasSize(SIZE);
    assertThat(new HashSet<>(seen)).hasSize(SIZE);
    assertThat(steps).isEqualTo((SIZE + 36) / 37);
  }

  @Test
  void membersPresentThroughoutAreReturnedWhateverChangesMeanwhile() {
    Set<Bytes> seen = new HashSet<>();
    long cursor = 0;
    int steps = 0;
    int next = SIZE;
    do {
      Reply.Scan scan = step(cursor, 50, null);
      seen.addAll(scan.elements());
      cursor = scan.cursor();
      // Between steps: the odd members below 1,000 go, new ones come.
      replica.execute(new Command.SetRemove(SET, member(2 * steps + 1)), out);
      replica.execute(new Command.SetAdd(SET, member(next++)), out);
      steps++;
    } while (cursor != 0 && steps < 10_000);
    for (int i = 0; i < SIZE; i++) {
      boolean removedMeanwhile = i % 2 == 1 && i < 2 * steps;
      if (!removedMeanwhile) {
        assertThat(seen).as("member " + i + ", present throughout").contains(member(i));
      }
    }
  }

  @Test
  void matchFiltersTheExaminedMembersAndCountBoundsTheExamined() {
    Set<Bytes> seen = new HashSet<>();
    long cursor = 0;
    do {
      Reply.Scan scan = step(cursor, 500, "member-1?");
      assertThat(scan.elements())
          .allMatch(e -> new String(e.toByteArray(), java.nio.charset.StandardCharsets.UTF_8).matches("member-1\\d"));
      seen.addAll(scan.elements());
      cursor = scan.cursor();
    } while (cursor != 0);
    assertThat(seen).hasSize(10);
  }

  @Test
  void aCursorBeyondEveryHashEndsTheIterationAndAnAbsentSetHasNoMembers() {
    assertThat(step(-1L, 10, null)).isEqualTo(new Reply.Scan(0, List.of()));
    assertThat(
            replica.execute(new Command.SetScan(Bytes.utf8("absent"), 0, 10, null), out))
        .isEqualTo(new Reply.Scan(0, List.of()));
  }
}
