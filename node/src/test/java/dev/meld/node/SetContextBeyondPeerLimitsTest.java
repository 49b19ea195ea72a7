package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.StoreLimits;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A node opens its store whatever its sets' contexts hold. A replica that merged members from
 * slices of shipments that never committed holds a cloud dot per member (issue 16): in a 3-node run
 * of scripts/big-set with 10,000,000 members, one set's context held 3,022,948 cloud dots, and the
 * node, once stopped, could not start again ("cloud dots ... (expected: <= 1000000)"), because its
 * own headers were read with the limits meant for peers.
 */
class SetContextBeyondPeerLimitsTest {

  private static final Bytes SET = Bytes.utf8("big");
  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final Outbox out = (to, m) -> {};

  @Test
  void aSetWhoseContextOutgrewThePeerLimitsIsReadAfterARestart() {
    MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    Replica first = open(store);
    first.execute(new Command.SetAdd(SET, Bytes.utf8("a")), out);
    first.close();

    MemoryRecordStore edited = reopen(store);
    byte[] key = SET.toByteArray();
    SetHeader header = SetHeader.decode(edited.get(key).orElseThrow(), DecodeLimits.DEFAULT);
    CausalContext context = header.context();
    ReplicaId far = new ReplicaId("far", 1);
    int cloud = DecodeLimits.DEFAULT.maxEntries() + 1;
    for (int i = 0; i < cloud; i++) {
      context.add(new Dot(far, 2L * i + 2)); // every other counter: nothing folds into the vector
    }
    edited.commit(
        edited
            .newBatch()
            .put(key, new SetHeader(context, header.count(), header.members()).encode()));
    edited.close();

    Replica second = open(reopen(edited));
    assertThat(second.execute(new Command.SetSize(SET), out)).isEqualTo(Reply.Int.of(1));
    assertThat(second.execute(new Command.SetContains(SET, Bytes.utf8("a")), out))
        .isEqualTo(Reply.Int.of(1));
    assertThat(second.execute(new Command.SetAdd(SET, Bytes.utf8("b")), out))
        .isInstanceOfSatisfying(Reply.Int.class, added -> assertThat(added.value()).isEqualTo(1));
    assertThat(second.execute(new Command.SetSize(SET), out)).isEqualTo(Reply.Int.of(2));
    second.close();
  }

  private static MemoryRecordStore reopen(MemoryRecordStore closed) {
    return MemoryRecordStore.open(closed.image(), KeyHashing::keyHash64, StoreLimits.DEFAULTS);
  }

  private Replica open(MemoryRecordStore store) {
    return Replica.open(ReplicaConfig.builder("solo").build(), store, clock, new SplittableRandom(1));
  }
}
