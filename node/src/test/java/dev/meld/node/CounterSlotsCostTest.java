package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.EarlierFormats;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.StoreLimits;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a counter's write costs once it is kept as its slots: a counter written by 2,000 replica
 * identities over its history (wiped nodes come back as new ones) encodes to tens of kilobytes,
 * which every INCR once rewrote; now an INCR puts its own slot and the small header, and a GET
 * reads no piece.
 */
class CounterSlotsCostTest {

  private static final Bytes KEY = Bytes.utf8("visits");
  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final Outbox out = (to, m) -> {};

  @Test
  void anIncrOfACounterWithThousandsOfSlotsWritesOneSlotAndTheHeader() {
    PNCounter history = new PNCounter();
    for (int i = 0; i < 2_000; i++) {
      history.increment(new ReplicaId("node-" + (i % 5), 1_000_000L + i), 1 + i % 17);
    }
    int whole = CrdtCodec.encode(history).length;
    MemoryRecordStore written = MemoryRecordStore.create(KeyHashing::keyHash64);
    written.commit(written.newBatch().put(KEY.toByteArray(), CrdtCodec.encode(history)));
    CountingStore store =
        new CountingStore(
            MemoryRecordStore.open(
                EarlierFormats.withFormat(written.image(), 2),
                KeyHashing::keyHash64,
                StoreLimits.DEFAULTS));
    Replica replica =
        Replica.open(ReplicaConfig.builder("solo").build(), store, clock, new SplittableRandom(1));
    replica.execute(new Command.Increment(KEY, 1), out); // the first write stores every slot

    long readsBefore = store.pieceReads();
    Reply reply = replica.execute(new Command.Increment(KEY, 1), out);
    Reply value = replica.execute(new Command.CounterGet(KEY), out);

    long expected = history.value() + 2;
    assertThat(reply).isInstanceOf(Reply.Int.class);
    assertThat(((Reply.Int) reply).value()).isEqualTo(expected);
    assertThat(value).isEqualTo(Reply.Int.of(expected));
    assertThat(whole).as("the counter's canonical encoding").isGreaterThan(20_000);
    // One INCR's batch: its log entry, its slot, the header and the clock's mark.
    assertThat(store.lastBatchOps()).isLessThanOrEqualTo(4);
    assertThat(store.lastBatchBytes()).isLessThan(400);
    assertThat(store.pieceReads() - readsBefore).as("slots read by INCR and GET").isZero();
  }
}
