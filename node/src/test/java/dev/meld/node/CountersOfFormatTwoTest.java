package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.EarlierFormats;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.StoreBatch;
import dev.meld.node.store.StoreLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A store of format 2 held every counter whole. This version opens it as it is (the format number
 * becomes 3, so an earlier version refuses it from then on), reads each whole counter as it was,
 * and rewrites one with more than CounterPieces#WHOLE_UP_TO_SLOTS slots as its slots the first time
 * it writes it (a smaller one stays one record); a restart reads both layouts back.
 */
class CountersOfFormatTwoTest {

  private static final ReplicaConfig CONFIG = ReplicaConfig.builder("solo").build();
  private final ManualClock clock = new ManualClock(TestCluster.START);
  private final Outbox out = (to, m) -> {};

  /** Counters with several writers each, one that was reset, one at zero that still exists. */
  private static Map<Bytes, PNCounter> counters() {
    Map<Bytes, PNCounter> counters = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      PNCounter counter = new PNCounter();
      for (int w = 0; w <= i % 12; w++) { // up to 12 writers: past WHOLE_UP_TO_SLOTS for some
        counter.increment(new ReplicaId("w" + w, i), 10L * i + w + 1);
        if (w % 2 == 1) {
          counter.decrement(new ReplicaId("w" + w, i), w);
        }
      }
      if (i == 7) {
        counter.reset(ReplicaId.of("r"));
      }
      counters.put(Bytes.utf8("counter:" + i), counter);
    }
    PNCounter zero = new PNCounter();
    zero.increment(ReplicaId.of("z"), 3);
    zero.decrement(ReplicaId.of("z"), 3);
    counters.put(Bytes.utf8("zero"), zero);
    return counters;
  }

  /** What a format-2 Meld committed: each counter's canonical encoding as its record. */
  private static MemoryImage formatTwo(Map<Bytes, PNCounter> counters) {
    MemoryRecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    StoreBatch batch = store.newBatch();
    counters.forEach((key, counter) -> batch.put(key.toByteArray(), CrdtCodec.encode(counter)));
    store.commit(batch);
    store.close();
    return EarlierFormats.withFormat(store.image(), 2);
  }

  private Replica open(MemoryImage image) {
    return Replica.open(
        CONFIG,
        MemoryRecordStore.open(image, KeyHashing::keyHash64, StoreLimits.DEFAULTS),
        clock,
        new SplittableRandom(1));
  }

  private long get(Replica replica, Bytes key) {
    return ((Reply.Int) replica.execute(new Command.CounterGet(key), out)).value();
  }

  /** The digest anti-entropy lists for {@code key} ({@code ZERO}: none). */
  static Digest digestOf(StoreKeyspace view, byte[] key) {
    Digest[] found = {Digest.ZERO};
    long hash = KeyHashing.keyHash64(key);
    view.entries(
        hash,
        hash,
        (k, h, digest) -> {
          if (java.util.Arrays.equals(k, key)) {
            found[0] = digest;
          }
          return true;
        });
    return found[0];
  }

  @Test
  void everyWholeCounterReadsBackAndBecomesSlotsWhenWritten() {
    Map<Bytes, PNCounter> counters = counters();
    MemoryRecordStore store =
        MemoryRecordStore.open(formatTwo(counters), KeyHashing::keyHash64, StoreLimits.DEFAULTS);
    Replica replica = Replica.open(CONFIG, store, clock, new SplittableRandom(1));
    assertThat(EarlierFormats.formatOf(store.image())).isEqualTo(3);

    long live = counters.values().stream().filter(RecordLattice::exists).count();
    assertThat(replica.execute(new Command.KeyCount(), out)).isEqualTo(Reply.Int.of(live));
    for (var e : counters.entrySet()) {
      assertThat(get(replica, e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue().value());
    }

    List<Bytes> written = new ArrayList<>();
    int i = 0;
    for (var e : counters.entrySet()) {
      if (i++ % 2 == 0) {
        replica.execute(new Command.Increment(e.getKey(), 5), out);
        e.getValue().increment(replica.replicaId(), 5);
        written.add(e.getKey());
      }
    }
    // Anti-entropy's view of the store as it is now, in both layouts: the tree built at open.
    StoreKeyspace view =
        new StoreKeyspace(store, 4, DecodeLimits.DEFAULT, 1 << 20, (hash, key, value) -> true);
    for (var e : counters.entrySet()) {
      byte[] key = e.getKey().toByteArray();
      byte[] record = store.get(key).orElseThrow();
      byte[] canonical = CrdtCodec.encode(e.getValue());
      assertThat(digestOf(view, key))
          .as("%s's digest is its canonical encoding's, whichever its layout", e.getKey())
          .isEqualTo(KeyHashing.recordDigest(key, canonical));
      assertThat(view.read(key)).as("shipped of %s", e.getKey()).isEqualTo(canonical);
      if (written.contains(e.getKey())
          && e.getValue().rows() > CounterPieces.WHOLE_UP_TO_SLOTS) {
        assertThat(CounterHeader.is(record)).as("%s as slots", e.getKey()).isTrue();
        assertThat(CounterPieces.read(store, key)).isEqualTo(e.getValue());
      } else {
        assertThat(record).as("%s untouched or small, whole", e.getKey()).isEqualTo(canonical);
      }
    }
    replica.close();
    Replica reopened = open(store.image());
    long liveAfter = counters.values().stream().filter(RecordLattice::exists).count();
    assertThat(reopened.execute(new Command.KeyCount(), out)).isEqualTo(Reply.Int.of(liveAfter));
    for (var e : counters.entrySet()) {
      assertThat(get(reopened, e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue().value());
    }
  }
}
