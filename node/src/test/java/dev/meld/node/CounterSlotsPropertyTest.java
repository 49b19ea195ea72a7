package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.DigestTree;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HybridLogicalClock;
import dev.meld.hlc.ManualClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.MemoryImage;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.Origin;
import dev.meld.node.store.Props;
import dev.meld.node.store.StoreLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Law: a counter kept as its slots is the same lattice as the whole {@link PNCounter}, and shows
 * the world the same bytes. Random increments, decrements and resets by several local replica ids
 * (through the command executor, as clients make them), a peer's counts delivered as deltas in any
 * order and more than once, merges of the peer's whole state, a register or a set written
 * concurrently (which replaces the counter: the ordinal sum {@link RecordLattice}), commits and
 * restarts are applied to the write path over a store and to a whole-state model per key, joined
 * by {@link RecordLattice#join}. After every step the write path shows what the model shows: every
 * reply's value, the state's canonical encoding; after every commit the store does too: what
 * anti-entropy reads is the model's canonical encoding, the key's digest in the digest tree is the
 * digest of that encoding (so a peer storing counters whole agrees), the header says whether the
 * key exists as the model does, and the slot pieces put back together are the model, with no slot
 * left once a register or a set has replaced the counter.
 */
class CounterSlotsPropertyTest {

  private static final ReplicaId[] LOCAL = {
    ReplicaId.of("a"), new ReplicaId("a", 2), new ReplicaId("b", 7)
  };
  private static final ReplicaId[] PEERS = {ReplicaId.of("p"), new ReplicaId("q", 3)};
  private static final Bytes[] KEYS = {Bytes.utf8("c0"), Bytes.utf8("c1"), Bytes.utf8("c2")};
  private static final ReplicaConfig CONFIG = ReplicaConfig.builder("a").build();

  /**
   * kind: 0 increment, 1 decrement, 2 GET, 3 reset, 4 a peer counts (or resets) and keeps the
   * delta, 5 deliver a kept delta, 6 merge a peer's whole state, 7 a register or set replaces the
   * key, 8 commit, 9 restart.
   */
  record Step(int kind, int who, int key, int amount) {}

  /** Each kind's share, as cumulative percentages: counts are common, restarts rare. */
  private static final int[] UP_TO = {20, 30, 40, 45, 60, 72, 80, 83, 95, 100};

  private static Gen<Step> step() {
    Gen<Integer> kind =
        integers()
            .between(0, 99)
            .map(
                p -> {
                  int k = 0;
                  while (p >= UP_TO[k]) {
                    k++;
                  }
                  return k;
                });
    return kind.zip(
        integers().between(0, 5),
        integers().between(0, KEYS.length - 1),
        integers().between(1, 1_000),
        Step::new);
  }

  @Test
  void aCounterAsItsSlotsShowsWhatTheWholeCounterShows() {
    wholeCounterSlots = 0; // every counter as its slots
    Props.check(
        getClass().getSimpleName() + "#aCounterAsItsSlotsShowsWhatTheWholeCounterShows",
        qt -> qt.forAll(lists().of(step()).ofSizeBetween(1, 60)).checkAssert(this::run));
  }

  /**
   * The same law where counters of up to two slots are one record (as {@link
   * CounterPieces#WHOLE_UP_TO_SLOTS} makes small counters): keys cross from one record to slots as a
   * third replica counts them, and back to nothing when replaced. A key is stored as slots exactly
   * when its counter has more slots than that.
   */
  @Test
  void aCounterThatOutgrowsOneRecordShowsWhatTheWholeCounterShows() {
    wholeCounterSlots = 2;
    Props.check(
        getClass().getSimpleName() + "#aCounterThatOutgrowsOneRecordShowsWhatTheWholeCounterShows",
        qt -> qt.forAll(lists().of(step()).ofSizeBetween(1, 60)).checkAssert(this::run));
  }

  /** One life of a node over a store: the write path and an executor per local replica id. */
  private final class Life {
    final MemoryRecordStore store;
    final StoreKeyspace view;
    final WritePath writes;
    final Map<ReplicaId, CommandExecutor> executors = new HashMap<>();

    Life(MemoryImage image) {
      store =
          image == null
              ? MemoryRecordStore.create(KeyHashing::keyHash64)
              : MemoryRecordStore.open(image, KeyHashing::keyHash64, StoreLimits.DEFAULTS);
      ManualClock clock = new ManualClock(TestCluster.START);
      view = new StoreKeyspace(store, 4, DecodeLimits.DEFAULT, 1 << 20, (h, k, v) -> true);
      HybridLogicalClock hlc =
          HybridLogicalClock.restore(clock, 1_000, WritePath.readHlcMark(store));
      ReplicationLog log = new ReplicationLog(store, new Origin("a", 1), TestCluster.START);
      // A cache of one record: most steps read their counter back from the store.
      writes =
          new WritePath(
              store,
              view,
              new RecordLattice(DecodeLimits.DEFAULT),
              log,
              hlc,
              1,
              0,
              wholeCounterSlots,
              s -> {});
      for (ReplicaId replica : LOCAL) {
        executors.put(
            replica, new CommandExecutor(CONFIG, writes, log, hlc, replica, new Metrics()));
      }
    }
  }

  private int wholeCounterSlots;
  private final Crdt<?>[] model = new Crdt<?>[KEYS.length];
  private final PNCounter[] peer = new PNCounter[KEYS.length];
  private final List<Integer> deltaKeys = new ArrayList<>();
  private final List<byte[]> deltas = new ArrayList<>();
  private Life life;

  private void run(List<Step> steps) {
    java.util.Arrays.fill(model, null);
    for (int k = 0; k < KEYS.length; k++) {
      peer[k] = new PNCounter();
    }
    deltaKeys.clear();
    deltas.clear();
    life = new Life(null);
    long stamp = 1;
    for (Step step : steps) {
      int k = step.key();
      ReplicaId who = LOCAL[step.who() % LOCAL.length];
      switch (step.kind()) {
        case 0, 1, 2, 3 -> execute(step, who);
        case 4 -> {
          ReplicaId at = PEERS[step.who() % PEERS.length];
          PNCounter delta =
              step.amount() % 7 == 0
                  ? peer[k].reset(at)
                  : step.amount() % 2 == 0
                      ? peer[k].increment(at, step.amount())
                      : peer[k].decrement(at, step.amount());
          deltaKeys.add(k);
          deltas.add(CrdtCodec.encode(delta));
        }
        case 5 -> {
          if (!deltas.isEmpty()) {
            int pick = step.amount() % deltas.size();
            merge(deltaKeys.get(pick), deltas.get(pick));
          }
        }
        case 6 -> merge(k, CrdtCodec.encode(peer[k]));
        case 7 -> merge(k, CrdtCodec.encode(replacement(step, stamp++)));
        case 8 -> life.writes.flush(TestCluster.START);
        case 9 -> {
          life.writes.flush(TestCluster.START);
          life = new Life(life.store.image());
        }
        default -> throw new AssertionError(step);
      }
      for (int i = 0; i < KEYS.length; i++) {
        assertShown(i, step);
      }
      if (step.kind() >= 8) {
        for (int i = 0; i < KEYS.length; i++) {
          assertStored(i, step);
        }
        assertTree(step);
      }
    }
  }

  /** A client's command on the key as {@code who}, checked against the model. */
  private void execute(Step step, ReplicaId who) {
    int k = step.key();
    Bytes key = KEYS[k];
    Command command =
        switch (step.kind()) {
          case 0 -> new Command.Increment(key, step.amount());
          case 1 -> new Command.Decrement(key, step.amount());
          case 2 -> new Command.CounterGet(key);
          default -> new Command.CounterReset(key);
        };
    Reply reply = life.executors.get(who).execute(command, false);
    if (model[k] != null && !(model[k] instanceof PNCounter)) {
      assertThat(reply).as("%s on a replaced counter", step).isInstanceOf(Reply.Error.class);
      return;
    }
    PNCounter counter = model[k] == null ? new PNCounter() : (PNCounter) model[k];
    switch (step.kind()) {
      case 0 -> counter.increment(who, step.amount());
      case 1 -> counter.decrement(who, step.amount());
      case 3 -> counter.reset(who);
      default -> {}
    }
    if (step.kind() != 2 || model[k] != null) {
      model[k] = step.kind() == 3 && model[k] == null ? null : counter;
    }
    if (reply instanceof Reply.Int value) {
      assertThat(value.value()).as("value after %s", step).isEqualTo(counter.value());
    } else {
      assertThat(reply).as("reply to %s", step).isInstanceOf(Reply.Ok.class);
    }
  }

  private void merge(int k, byte[] state) {
    RecordLattice lattice = new RecordLattice(DecodeLimits.DEFAULT);
    life.writes.merge(KEYS[k].toByteArray(), state);
    Crdt<?> current = model[k] == null ? null : lattice.decode(CrdtCodec.encode(model[k]));
    model[k] = RecordLattice.join(current, lattice.decode(state)).state();
  }

  /** A register, or a set, written concurrently with the counter: either outranks it. */
  private static Crdt<?> replacement(Step step, long stamp) {
    ReplicaId writer = PEERS[step.who() % PEERS.length];
    if (step.amount() % 2 == 0) {
      LwwRegister<Bytes> register = LwwRegister.ofBytes();
      register.set(writer, stamp, Bytes.utf8("v" + step.amount()));
      return register;
    }
    CausalContext context = new CausalContext();
    Dot dot = new Dot(writer, stamp);
    context.add(dot);
    return Orswot.of(
        ElementCodec.BYTES, context, Map.of(Bytes.utf8("e" + step.amount()), List.of(dot)));
  }

  /** What the write path shows of key {@code k}, staged or not, is the model's state. */
  private void assertShown(int k, Step step) {
    WritePath.Slot slot = life.writes.load(KEYS[k]);
    if (model[k] == null) {
      assertThat(slot.state).as("key %d after %s", k, step).isNull();
      assertThat(slot.set).isNull();
      return;
    }
    if (model[k] instanceof Orswot<?> set) {
      assertThat(slot.set).as("key %d after %s", k, step).isNotNull();
      assertThat(CrdtCodec.encode(slot.set.materialize())).isEqualTo(CrdtCodec.encode(set));
      return;
    }
    assertThat(CrdtCodec.encode(slot.state))
        .as("key %d after %s", k, step)
        .isEqualTo(CrdtCodec.encode(model[k]));
  }

  /**
   * What the store holds of key {@code k} after a commit is the model's state: as slots if it has
   * more than {@link #wholeCounterSlots}, else as one record.
   */
  private void assertStored(int k, Step step) {
    byte[] key = KEYS[k].toByteArray();
    byte[] canonical = model[k] == null ? null : CrdtCodec.encode(model[k]);
    assertThat(life.view.read(key)).as("read of key %d after %s", k, step).isEqualTo(canonical);
    assertThat(CountersOfFormatTwoTest.digestOf(life.view, key))
        .as("digest of key %d after %s", k, step)
        .isEqualTo(expectedDigest(k));
    List<byte[]> slotPieces = new ArrayList<>();
    life.store.scanPieces(
        key,
        new byte[] {CounterPieces.SLOT},
        new byte[] {CounterPieces.SLOT + 1},
        (piece, value) -> slotPieces.add(piece));
    if (!(model[k] instanceof PNCounter counter)) {
      assertThat(slotPieces).as("slots of key %d after %s", k, step).isEmpty();
      return;
    }
    byte[] header = life.store.get(key).orElseThrow();
    if (counter.rows() <= wholeCounterSlots) {
      assertThat(header).as("key %d stored whole after %s", k, step).isEqualTo(canonical);
      assertThat(slotPieces).as("slots of key %d, whole after %s", k, step).isEmpty();
      return;
    }
    assertThat(CounterHeader.is(header)).as("key %d stored as slots after %s", k, step).isTrue();
    assertThat(CounterHeader.decode(header).exists()).isEqualTo(RecordLattice.exists(counter));
    assertThat(slotPieces).hasSize(counter.rows());
    assertThat(CounterPieces.read(life.store, key)).isEqualTo(counter);
  }

  /** The digest tree is the one built from the model's canonical encodings. */
  private void assertTree(Step step) {
    DigestTree tree = life.view.digests();
    DigestTree expected = new DigestTree(tree.leafBits(), tree.fanoutBits());
    for (int k = 0; k < KEYS.length; k++) {
      expected.update(KeyHashing.keyHash64(KEYS[k].toByteArray()), Digest.ZERO, expectedDigest(k));
    }
    assertThat(tree.root()).as("tree root after %s", step).isEqualTo(expected.root());
  }

  /**
   * The digest anti-entropy must see for key {@code k}: of the canonical encoding, as for a whole
   * record; a set kept in pieces has its own, which its header sums ({@link SetHeader#digest}).
   */
  private Digest expectedDigest(int k) {
    byte[] key = KEYS[k].toByteArray();
    if (model[k] == null) {
      return Digest.ZERO;
    }
    if (model[k] instanceof Orswot<?>) {
      return life.writes.load(KEYS[k]).set.digest();
    }
    return KeyHashing.recordDigest(key, CrdtCodec.encode(model[k]));
  }
}
