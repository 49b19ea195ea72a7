package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.store.MemoryRecordStore;
import dev.meld.node.store.Props;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Law: a set kept in pieces is the same lattice as the whole {@link Orswot}. Random adds, removes
 * and clears (here and on two other replicas), deltas delivered in any order and more than once,
 * whole-state merges both ways, commits and restarts are applied to a {@link PiecedSet} over a
 * store and to a whole {@code Orswot} model; after every step they show the same thing: size,
 * membership of every element, the whole state put back together, the deltas the mutators return
 * and whether each merge changed anything. And the digest kept incrementally equals the digest
 * computed from scratch over the model, so anti-entropy sees equal sets as equal and different
 * ones as different.
 */
class PiecedSetPropertyTest {

  private static final ReplicaId[] REPLICAS = {
    ReplicaId.of("a"), new ReplicaId("b", 7), new ReplicaId("c", 1)
  };
  private static final byte[] KEY = "the-set".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final int UNIVERSE = 12;

  /** kind: 0 add, 1 remove, 2 clear, 3 deliver a pending delta, 4 whole-state sync, 5 commit, 6 restart. */
  record Step(int kind, int replica, int element, int pick) {}

  @Test
  void aSetInPiecesShowsWhatTheWholeSetShows() {
    Props.check(
        getClass().getSimpleName() + "#aSetInPiecesShowsWhatTheWholeSetShows",
        qt -> qt.forAll(lists().of(step()).ofSizeBetween(1, 60)).checkAssert(this::run));
  }

  private static Gen<Step> step() {
    return integers()
        .between(0, 15)
        .zip(integers().between(0, 2), integers().between(0, UNIVERSE - 1), (k, r, e) -> new int[] {k, r, e})
        .zip(
            integers().between(0, 1000),
            (kre, pick) -> new Step(kind(kre[0]), kre[1], kre[2], pick));
  }

  /** Adds and removes are the common steps; restarts the rare ones. */
  private static int kind(int roll) {
    int[] table = {0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 3, 4, 4, 5, 6};
    return table[roll];
  }

  private void run(List<Step> steps) {
    RecordStore store = MemoryRecordStore.create(KeyHashing::keyHash64);
    PiecedSet pieces = PiecedSet.create(store, KEY);
    Orswot<Bytes> model = Orswot.ofBytes();
    List<Orswot<Bytes>> others = List.of(Orswot.ofBytes(), Orswot.ofBytes());
    List<Orswot<Bytes>> pending = new ArrayList<>();
    for (Step step : steps) {
      Bytes element = Bytes.utf8("e" + step.element());
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
            assertThat(pieces.mergeFrom(delta.copy()))
                .as("changed by " + delta)
                .isEqualTo(model.mergeFrom(delta.copy()));
          }
        }
        case 4 -> {
          Orswot<Bytes> other = others.get(step.pick() % 2);
          if (step.pick() % 2 == 0) {
            assertThat(pieces.mergeFrom(other.copy())).isEqualTo(model.mergeFrom(other.copy()));
          } else {
            other.mergeFrom(pieces.materialize());
          }
        }
        case 5 -> commit(store, pieces);
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
    assertThat(pieces.context()).isEqualTo(model.context());
    assertThat(pieces.digest()).isEqualTo(digestFromScratch(model));
  }

  /** The digest a replica holding {@code set} must show, summed afresh over its members. */
  static Digest digestFromScratch(Orswot<Bytes> set) {
    Digest members = Digest.ZERO;
    for (Bytes e : set.elements()) {
      byte[] piece = SetPieces.memberKey(e);
      members = members.plus(SetHeader.memberDigest(KEY, piece, SetPieces.encodeDots(set.dots(e))));
    }
    return new SetHeader(set.context(), set.size(), members).digest(KEY);
  }
}
