package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.EngineReads;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write to a set touches a bounded number of rows whatever the set's size: the reason sets are
 * kept in pieces (each piece read once per batch however often the command looks at it). Before, every SADD read, merged and re-encoded the whole set, and a set stopped
 * at ~50,000 members (its record hit 1 MiB). Here a set of 60,000 members (past that wall) takes
 * adds, re-adds, removes and membership tests that each read at most a handful of its pieces, and
 * its size is read without reading any.
 */
class PiecedSetCostTest {

  private static final Bytes SET = Bytes.utf8("big");
  private static final int SIZE = 60_000;

  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final Outbox out = (to, m) -> {};
  private MemoryRecordStore memory;
  private CountingStore store;
  private Replica replica;
  private long encodingsAfterFill;

  @BeforeEach
  void fill() {
    memory = MemoryRecordStore.create(KeyHashing::keyHash64);
    store = new CountingStore(memory);
    replica =
        Replica.open(
            ReplicaConfig.builder("solo").build(), store, clock, new SplittableRandom(1));
    for (int from = 0; from < SIZE; from += 5_000) {
      List<Command> adds = new ArrayList<>();
      for (int i = from; i < from + 5_000; i++) {
        adds.add(new Command.SetAdd(SET, member(i)));
      }
      replica.executeAll(adds, out);
    }
    assertThat(replica.execute(new Command.SetSize(SET), out)).isEqualTo(Reply.Int.of(SIZE));
    encodingsAfterFill = replica.recordEncodings(); // the member set's, a whole record
  }

  private static Bytes member(int i) {
    return Bytes.utf8(String.format("member-%08d", i));
  }

  private long piecesReadBy(Supplier<Reply> command) {
    long before = store.pieceReads();
    Reply reply = command.get();
    assertThat(reply).isNotInstanceOf(Reply.Error.class);
    return store.pieceReads() - before;
  }

  @Test
  void writesAndReadsOfOneMemberReadAFewPiecesOfAHugeSet() {
    assertThat(piecesReadBy(() -> replica.execute(new Command.SetAdd(SET, member(SIZE)), out)))
        .as("a new member")
        .isLessThanOrEqualTo(1);
    assertThat(piecesReadBy(() -> replica.execute(new Command.SetAdd(SET, member(7)), out)))
        .as("a present member, re-dotted")
        .isLessThanOrEqualTo(2);
    assertThat(piecesReadBy(() -> replica.execute(new Command.SetRemove(SET, member(8)), out)))
        .as("a removal")
        .isLessThanOrEqualTo(2);
    assertThat(
            piecesReadBy(() -> replica.execute(new Command.SetContains(SET, member(9)), out)))
        .isEqualTo(1);
    assertThat(piecesReadBy(() -> replica.execute(new Command.SetSize(SET), out))).isZero();
    assertThat(replica.execute(new Command.SetSize(SET), out)).isEqualTo(Reply.Int.of(SIZE));
    assertThat(replica.recordEncodings() - encodingsAfterFill)
        .as("no whole set was encoded")
        .isZero();
  }

  @Test
  void aCommitDoesNotReadAgainWhatTheWriteRead() {
    long pieces = EngineReads.pieces(memory);
    long records = EngineReads.records(memory);

    replica.execute(new Command.SetAdd(SET, member(SIZE)), out);
    replica.execute(new Command.SetRemove(SET, member(8)), out);
    replica.execute(new Command.Increment(Bytes.utf8("counter"), 1), out);
    replica.execute(new Command.Increment(Bytes.utf8("counter"), 1), out);

    // A new member: its piece, read once by the set (its dot's piece is new, so not read). A
    // removal: its member's and its dot's pieces, read by the set. The counter: read once when
    // it was first loaded, as absent. The commits read none of them again.
    assertThat(EngineReads.pieces(memory) - pieces).isEqualTo(3);
    assertThat(EngineReads.records(memory) - records).isEqualTo(1);
  }

  @Test
  void aScanStepReadsWhatItReturns() {
    Reply.Scan first = (Reply.Scan) replica.execute(new Command.SetScan(SET, 0, 100, null), out);
    assertThat(first.elements()).hasSize(100);
    assertThat(first.cursor()).isNotZero();
    long reads =
        piecesReadBy(() -> replica.execute(new Command.SetScan(SET, first.cursor(), 100, null), out));
    assertThat(reads).isEqualTo(101); // the step's members, and the one its cursor names
  }
}
