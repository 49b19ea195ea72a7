package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.Props;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Law: a set kept in pieces is the same lattice as the whole {@link Orswot}. Random adds, removes
 * and clears (here and on two other replicas), deltas delivered in any order and more than once,
 * whole-state merges both ways, shipments in slices (interleaved with everything else, cut short,
 * committed), commits and restarts are applied to a {@link PiecedSet} over a store and to a whole
 * {@code Orswot} model; after every step they show the same thing: size, membership of every
 * element, the whole state put back together, the deltas the mutators return and whether each
 * merge changed anything (or, for the pieces, moved pending dots into the header's context, which
 * the model cannot tell). The pending count is exact, and the digest kept incrementally equals the
 * digest computed from scratch over the members and the header's context, so anti-entropy sees
 * equal sets as equal and different ones as different. A slice is merged into the model as the
 * delta it stands for (its members over the dots of ours in its range it has seen, and its own);
 * and a shipment that ran with nothing else between its slices leaves the model where a whole
 * merge of the sender's state would have.
 */
class PiecedSetPropertyTest {

  private static final ReplicaId[] REPLICAS = {
    ReplicaId.of("a"), new ReplicaId("b", 7), new ReplicaId("c", 1)
  };
  private static final byte[] KEY = "the-set".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final int UNIVERSE = 12;

  /**
   * kind: 0 add, 1 remove, 2 clear, 3 deliver a pending delta, 4 whole-state sync, 5 commit, 6
   * restart, 7 the next slice of a shipment (opening one if none is open; the last one commits),
   * 8 a shipment cut short.
   */
  record Step(int kind, int replica, int element, int pick) {}

  /** An open shipment of {@code others[from]}, at {@code next}. */
  private static final class Shipment {
    final int from;
    final CausalContext start;
    final Orswot<Bytes> modelBefore;
    final Orswot<Bytes> senderBefore;
    long next;
    boolean alone = true; // nothing but its slices ran since it opened

    Shipment(int from, Orswot<Bytes> sender, Orswot<Bytes> model) {
      this.from = from;
      this.start = sender.context().copy();
      this.senderBefore = sender.copy();
      this.modelBefore = model.copy();
    }
  }

  @Test
  void aSetInPiecesShowsWhatTheWholeSetShows() {
    Props.check(
        getClass().getSimpleName() + "#aSetInPiecesShowsWhatTheWholeSetShows",
        qt -> qt.forAll(lists().of(step()).ofSizeBetween(1, 60)).checkAssert(this::run));
  }

  private static Gen<Step> step() {
    return integers()
        .between(0, 19)
        .zip(integers().between(0, 2), integers().between(0, UNIVERSE - 1), (k, r, e) -> new int[] {k, r, e})
        .zip(
            integers().between(0, 1000),
            (kre, pick) -> new Step(kind(kre[0]), kre[1], kre[2], pick));
  }

  /** Adds and removes are the common steps; restarts the rare ones. */
  private static int kind(int roll) {
    int[] table = {0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 5, 6, 7, 7, 7, 8};
    return table[roll];
  }

  private void run(List<Step> steps) {
    RecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    PiecedSet pieces = PiecedSet.create(store, KEY);
    Orswot<Bytes> model = Orswot.ofBytes();
    List<Orswot<Bytes>> others = List.of(Orswot.ofBytes(), Orswot.ofBytes());
    List<Orswot<Bytes>> pending = new ArrayList<>();
    Shipment shipment = null;
    for (Step step : steps) {
      Bytes element = Bytes.utf8("e" + step.element());
      if (shipment != null && step.kind() <= 4) {
        shipment.alone = false;
      }
      switch (step.kind()) {
        case 0, 1, 2 -> {
          if (step.replica() == 0) {
            mutateHere(step.kind(), element, pieces, model);
          } else {
            Orswot<Bytes> other = others.get(step.replica() - 1);
            ReplicaId who = REPLICAS[step.replica()];
            pending.add(
                step.kind() == 0
                    ? other.add(who, element)
                    : step.kind() == 1 ? other.remove(element) : other.clear());
          }
        }
        case 3 -> {
          if (!pending.isEmpty()) {
            Orswot<Bytes> delta = pending.get(step.pick() % pending.size());
            if (step.pick() % 3 != 0) {
              pending.remove(delta); // else it stays, to be delivered again
            }
            long before = pieces.pendingDots();
            boolean changed = pieces.mergeFrom(delta.copy());
            assertThat(changed)
                .as("changed by " + delta)
                .isEqualTo(model.mergeFrom(delta.copy()) || pieces.pendingDots() < before);
          }
        }
        case 4 -> {
          Orswot<Bytes> other = others.get(step.pick() % 2);
          if (step.pick() % 2 == 0) {
            long before = pieces.pendingDots();
            boolean changed = pieces.mergeFrom(other.copy());
            assertThat(changed)
                .isEqualTo(model.mergeFrom(other.copy()) || pieces.pendingDots() < before);
          } else {
            other.mergeFrom(pieces.materialize());
          }
        }
        case 5 -> commit(store, pieces);
        case 7 -> {
          if (shipment == null) {
            int from = step.pick() % 2;
            shipment = new Shipment(from, others.get(from), model);
          }
          Orswot<Bytes> sender = others.get(shipment.from);
          long span = (Long.MAX_VALUE / 4) * (1 + step.pick() % 3);
          long from = shipment.next;
          long to = from > SetSlice.LAST_HASH - span ? SetSlice.LAST_HASH : from + span;
          Orswot<Bytes> slice = slice(sender, from, to);
          assertThat(pieces.mergeSlice(slice.copy(), from, to))
              .as("slice [" + from + ", " + to + "] changed")
              .isEqualTo(mergeSlice(model, slice, from, to));
          if (to == SetSlice.LAST_HASH) {
            pieces.mergeContext(shipment.start);
            model = withContext(model, model.context().merge(shipment.start));
            if (shipment.alone) {
              Orswot<Bytes> whole = shipment.modelBefore.copy();
              whole.mergeFrom(shipment.senderBefore.copy());
              assertThat(model).as("a shipment alone, against a whole merge").isEqualTo(whole);
            }
            shipment = null;
          } else {
            shipment.next = to + 1;
          }
        }
        case 8 -> shipment = null;
        default -> {
          commit(store, pieces);
          byte[] header = store.get(KEY).orElseThrow();
          pieces = PiecedSet.open(store, KEY, SetHeader.decode(header, DecodeLimits.DEFAULT));
        }
      }
      assertShowsTheSame(pieces, model);
    }
    commit(store, pieces);
    assertShowsTheSame(pieces, model);
  }

  private static void mutateHere(int kind, Bytes element, PiecedSet pieces, Orswot<Bytes> model) {
    ReplicaId self = REPLICAS[0];
    if (kind == 0) {
      assertThat(pieces.add(self, element)).isEqualTo(model.add(self, element));
    } else if (kind == 1) {
      assertThat(pieces.remove(element)).isEqualTo(model.remove(element));
    } else {
      // The pieces' clear delta carries the whole context (see PiecedSet#clear): a larger but
      // equivalent delta. Equivalent: joined into the state before the clear, both give the same.
      Orswot<Bytes> before = model.copy();
      Orswot<Bytes> delta = pieces.clear();
      model.clear();
      before.mergeFrom(delta);
      assertThat(before).isEqualTo(model);
    }
  }

  private static void commit(RecordStore store, PiecedSet pieces) {
    StoreBatch batch = store.newBatch();
    pieces.writeTo(batch);
    store.commit(batch);
    pieces.committed();
  }

  private static void assertShowsTheSame(PiecedSet pieces, Orswot<Bytes> model) {
    assertThat(pieces.size()).isEqualTo(model.size());
    for (int i = 0; i < UNIVERSE; i++) {
      Bytes e = Bytes.utf8("e" + i);
      assertThat(pieces.contains(e)).as("contains " + e).isEqualTo(model.contains(e));
      assertThat(pieces.dots(e)).isEqualTo(model.dots(e));
    }
    assertThat(pieces.materialize()).isEqualTo(model);
    long outside = 0;
    for (Bytes e : model.elements()) {
      outside += model.dots(e).stream().filter(d -> !pieces.context().contains(d)).count();
    }
    assertThat(pieces.pendingDots()).as("pending dots").isEqualTo(outside);
    if (outside == 0) {
      assertThat(pieces.context()).isEqualTo(model.context());
    }
    assertThat(pieces.digest()).isEqualTo(digestFromScratch(model, pieces.context()));
  }

  /** The members of {@code sender} with element hashes in [from, to], over its context. */
  private static Orswot<Bytes> slice(Orswot<Bytes> sender, long from, long to) {
    Map<Bytes, List<Dot>> members = new HashMap<>();
    for (Bytes e : sender.elements()) {
      long hash = SetPieces.elementHash(e);
      if (hash >= from && hash <= to) {
        members.put(e, sender.dots(e));
      }
    }
    return Orswot.of(ElementCodec.BYTES, sender.context().copy(), members);
  }

  /**
   * Merges into {@code model} the delta a slice stands for: its members, over the dots it brings
   * and the dots of our members in its range that its context covers.
   */
  private static boolean mergeSlice(Orswot<Bytes> model, Orswot<Bytes> slice, long from, long to) {
    CausalContext context = new CausalContext();
    for (Bytes e : model.elements()) {
      long hash = SetPieces.elementHash(e);
      if (hash >= from && hash <= to) {
        model.dots(e).stream().filter(slice.context()::contains).forEach(context::add);
      }
    }
    Map<Bytes, List<Dot>> members = new HashMap<>();
    for (Bytes e : slice.elements()) {
      members.put(e, slice.dots(e));
      slice.dots(e).forEach(context::add);
    }
    return model.mergeFrom(Orswot.of(ElementCodec.BYTES, context, members));
  }

  private static Orswot<Bytes> withContext(Orswot<Bytes> set, CausalContext context) {
    Map<Bytes, List<Dot>> members = new HashMap<>();
    set.elements().forEach(e -> members.put(e, set.dots(e)));
    return Orswot.of(ElementCodec.BYTES, context, members);
  }

  /** The digest a replica holding {@code set} must show, summed afresh over its members. */
  static Digest digestFromScratch(Orswot<Bytes> set) {
    return digestFromScratch(set, set.context());
  }

  /** That digest with {@code context} as the header's (dots may be pending outside it). */
  static Digest digestFromScratch(Orswot<Bytes> set, CausalContext context) {
    Digest members = Digest.ZERO;
    for (Bytes e : set.elements()) {
      byte[] piece = SetPieces.memberKey(e);
      members = members.plus(SetHeader.memberDigest(KEY, piece, SetPieces.encodeDots(set.dots(e))));
    }
    return new SetHeader(context, set.size(), members).digest(KEY);
  }
}
