package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.store.Props;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The write path refuses an over-limit record by a {@link RecordSizeBound} instead of encoding it,
 * so the bound must never be below the real length: a bound that underestimates lets a record past
 * the limit that the store then refuses at commit, failing a whole batch.
 */
class RecordSizeBoundPropertyTest {

  /**
   * Law: starting exact, after any sequence of joins of deltas and full states, of the record's
   * type or another, delivered in any order (so that contexts grow clouds) and from up to 300
   * replicas (so that OR-set dot positions grow from one byte to two), the bound is at least the
   * encoded length of the record.
   */
  @Test
  void theBoundIsNeverBelowTheEncodedLength() {
    Props.check(
        "RecordSizeBoundPropertyTest#theBoundIsNeverBelowTheEncodedLength",
        qt -> qt.forAll(longs().all()).checkAssert(RecordSizeBoundPropertyTest::joins));
  }

  /** Law: a bound reset from an exact length is that length. */
  @Test
  void aResetBoundIsExact() {
    Props.check(
        "RecordSizeBoundPropertyTest#aResetBoundIsExact",
        qt ->
            qt.forAll(longs().all())
                .checkAssert(
                    seed -> {
                      SplittableRandom r = new SplittableRandom(seed);
                      Crdt<?> state = randomState(r, r.nextInt(3), replicas(3), 20);
                      int length = CrdtCodec.encode(state).length;
                      assertThat(RecordSizeBound.exact(state, length).bytes()).isEqualTo(length);
                    }));
  }

  private static void joins(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ReplicaId> replicas = replicas(r.nextInt(3) == 0 ? 1 + r.nextInt(300) : 1 + r.nextInt(4));
    int type = r.nextInt(3);
    List<Crdt<?>> locals = new ArrayList<>();
    for (int i = 0; i < replicas.size(); i++) {
      locals.add(empty(type));
    }
    // Often a large record from the first replicas only, so that later ones grow its table; often
    // 128 of them, so that the next one pushes the busiest to position 128 (a two-byte varint).
    int first = replicas.size() > 128 && r.nextBoolean() ? 128 : 1 + r.nextInt(replicas.size());
    Crdt<?> record =
        r.nextInt(4) == 0 ? null : randomState(r, type, replicas.subList(0, first), 300);
    RecordSizeBound bound =
        record == null
            ? RecordSizeBound.absent()
            : RecordSizeBound.exact(record, CrdtCodec.encode(record).length);
    List<Crdt<?>> held = new ArrayList<>(); // deltas delivered later, out of order
    int steps = 1 + r.nextInt(Math.max(60, replicas.size() + 20));
    for (int step = 0; step < steps; step++) {
      // Replicas the record has not heard from come first.
      int i = step < replicas.size() ? (first + step) % replicas.size() : r.nextInt(replicas.size());
      Crdt<?> delta;
      int roll = r.nextInt(100);
      if (roll < 3) {
        delta = randomState(r, r.nextInt(3), replicas, 20); // the ordinal sum decides
      } else if (roll < 10) {
        delta = locals.get(i).copy(); // a full state, as anti-entropy ships it
      } else {
        delta = mutate(r, locals.get(i), replicas.get(i));
      }
      if (r.nextInt(4) == 0) {
        held.add(delta);
        continue;
      }
      if (!held.isEmpty() && r.nextBoolean()) {
        held.add(delta);
        delta = held.remove(r.nextInt(held.size()));
      }
      record = join(record, delta, bound);
      if (record != null && r.nextInt(20) == 0) {
        bound.reset(record, CrdtCodec.encode(record).length); // as a flush does
      }
    }
    while (!held.isEmpty()) {
      record = join(record, held.remove(r.nextInt(held.size())), bound);
    }
  }

  private static Crdt<?> join(Crdt<?> record, Crdt<?> delta, RecordSizeBound bound) {
    Crdt<?> copy = delta.copy(); // the joined record may become the delta itself
    bound.join(copy, CrdtCodec.encode(copy).length);
    Crdt<?> joined = RecordLattice.join(record, copy).state();
    int length = CrdtCodec.encode(joined).length;
    assertThat(bound.bytes()).as("bound after joining %s", delta).isGreaterThanOrEqualTo(length);
    return joined;
  }

  private static List<ReplicaId> replicas(int n) {
    List<ReplicaId> replicas = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Later replicas sort first: each one joining a table moves every earlier one up a place.
      replicas.add(new ReplicaId(String.format("node-%03d", 999 - i), i % 3));
    }
    return replicas;
  }

  private static Crdt<?> empty(int type) {
    switch (type) {
      case 0:
        return new PNCounter();
      case 1:
        return Orswot.ofBytes();
      default:
        return LwwRegister.ofBytes();
    }
  }

  /**
   * A state of a random type: one mutation by each of {@code replicas}, then up to {@code most}
   * more, most of them by the first replica (which sorts last of them).
   */
  private static Crdt<?> randomState(
      SplittableRandom r, int type, List<ReplicaId> replicas, int most) {
    Crdt<?> state = empty(type);
    for (ReplicaId replica : replicas) {
      mutate(r, state, replica);
    }
    for (int i = r.nextInt(most + 1); i > 0; i--) {
      int by = r.nextInt(10) < 7 ? 0 : r.nextInt(replicas.size());
      mutate(r, state, replicas.get(by));
    }
    return state;
  }

  /** Mutates {@code state} in place as {@code replica}; returns the mutator's delta. */
  @SuppressWarnings("unchecked")
  private static Crdt<?> mutate(SplittableRandom r, Crdt<?> state, ReplicaId replica) {
    int roll = r.nextInt(100);
    if (state instanceof PNCounter counter) {
      if (roll < 10) {
        return counter.reset(replica);
      }
      long amount = 1 + r.nextLong(r.nextBoolean() ? 10 : 1L << 40); // multi-byte, no overflow
      return roll < 55 ? counter.increment(replica, amount) : counter.decrement(replica, amount);
    }
    if (state instanceof Orswot<?> s) {
      Orswot<Bytes> set = (Orswot<Bytes>) s;
      if (roll < 1) {
        return set.clear();
      }
      Bytes element = element(r);
      return roll < 70 ? set.add(replica, element) : set.remove(element);
    }
    LwwRegister<Bytes> register = (LwwRegister<Bytes>) state;
    long stamp = r.nextLong(1L << 62);
    return roll < 20 ? register.delete(replica, stamp) : register.set(replica, stamp, element(r));
  }

  private static Bytes element(SplittableRandom r) {
    int roll = r.nextInt(8);
    if (roll < 4) {
      return Bytes.of(new byte[] {(byte) r.nextInt(8)}); // few: adds re-dot, removes find one
    }
    byte[] bytes = new byte[roll == 7 ? 1 + r.nextInt(300) : 4]; // many: sets of many dots
    r.nextBytes(bytes);
    return Bytes.of(bytes);
  }
}
