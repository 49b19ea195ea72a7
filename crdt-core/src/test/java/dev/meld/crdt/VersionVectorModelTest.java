package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link VersionVector} against the simplest model of it, a {@code TreeMap} from replica to
 * counter with no zeros, and {@link CausalContext} against a plain set of dots. The vector is kept
 * in sorted arrays (for merge speed), so every operation that inserts, removes, searches or
 * merges entries is checked against the map, from small vectors up to ones that grow past their
 * arrays.
 */
class VersionVectorModelTest {
  /** Ids in an order where the node name and the incarnation both matter. */
  private static final List<ReplicaId> REPLICAS =
      List.of(
          new ReplicaId("a", 0),
          new ReplicaId("a", 1),
          new ReplicaId("a", 10),
          new ReplicaId("b", 0),
          new ReplicaId("bb", 0),
          new ReplicaId("c", 3),
          new ReplicaId("d", 0));

  /** One step: what to do, to which replica, with what counter. */
  record Op(int kind, int replica, long n) {
    @Override
    public String toString() {
      String[] names = {"put", "raise", "increment", "mergeFrom", "merge"};
      return names[kind] + "(" + REPLICAS.get(replica) + ", " + n + ")";
    }
  }

  private static Gen<List<Op>> ops() {
    return SourceDSL.lists()
        .of(
            Generate.range(0, 4)
                .zip(
                    Generate.range(0, REPLICAS.size() - 1),
                    Generate.longRange(0, 6),
                    (kind, replica, n) -> new Op(kind, replica, n)))
        .ofSizeBetween(0, 40);
  }

  /**
   * Law: a version vector is a sorted map without zeros under pointwise max; put, raise,
   * increment, mergeFrom and merge agree with the map, and get, size, equals, hashCode, compare
   * and iteration order follow.
   */
  @Test
  void aVersionVectorBehavesAsASortedMapUnderPointwiseMax() {
    Props.check(
        getClass(),
        "a version vector behaves as a sorted map under pointwise max",
        ops(),
        steps -> {
          VersionVector vector = new VersionVector();
          TreeMap<ReplicaId, Long> model = new TreeMap<>();
          // A second vector built from the same steps' replicas, merged in by mergeFrom/merge.
          VersionVector other = new VersionVector();
          TreeMap<ReplicaId, Long> otherModel = new TreeMap<>();
          for (Op op : steps) {
            ReplicaId r = REPLICAS.get(op.replica());
            switch (op.kind()) {
              case 0 -> {
                vector.put(r, op.n());
                setOrRemove(model, r, op.n());
              }
              case 1 -> {
                boolean raised = op.n() > model.getOrDefault(r, 0L);
                assertThat(vector.raise(r, op.n())).isEqualTo(raised);
                if (raised) {
                  model.put(r, op.n());
                }
              }
              case 2 -> {
                Dot dot = vector.increment(r);
                model.merge(r, 1L, Long::sum);
                assertThat(dot).isEqualTo(new Dot(r, model.get(r)));
              }
              case 3 -> {
                other.put(r, op.n() + 1);
                otherModel.put(r, op.n() + 1);
                TreeMap<ReplicaId, Long> max = max(model, otherModel);
                assertThat(vector.mergeFrom(other)).isEqualTo(!max.equals(model));
                model = max;
              }
              default -> {
                VersionVector before = vector.copy();
                VersionVector merged = vector.merge(other);
                assertThat(merged.asMap()).isEqualTo(max(model, otherModel));
                assertThat(vector).isEqualTo(before);
                merged.increment(r); // the merge is a new vector: changing it leaves this alone
                assertThat(vector).isEqualTo(before);
              }
            }
            assertMatches(vector, model);
            assertMatches(other, otherModel);
            assertThat(vector.compare(other)).isEqualTo(compare(model, otherModel));
          }
        });
  }

  /**
   * Law: a causal context holds exactly the dots added to it, however they are split between
   * contexts and merged back, and stays canonical (no cloud dot next to or under the vector).
   */
  @Test
  void aCausalContextHoldsExactlyTheDotsAddedToIt() {
    Gen<List<Dot>> dots =
        SourceDSL.lists()
            .of(
                Generate.pick(REPLICAS.subList(0, 3))
                    .zip(Generate.longRange(1, 10), Dot::new))
            .ofSizeBetween(0, 30);
    Props.check(
        getClass(),
        "a causal context holds exactly the dots added to it",
        dots.zip(dots, List::of),
        pair -> {
          CausalContext left = new CausalContext();
          CausalContext right = new CausalContext();
          pair.get(0).forEach(left::add);
          pair.get(1).forEach(right::add);
          Set<Dot> expected = new HashSet<>(pair.get(0));
          expected.addAll(pair.get(1));
          CausalContext merged = left.copy();
          boolean rightAddsDots = !expected.equals(new HashSet<>(pair.get(0)));
          assertThat(merged.mergeFrom(right)).isEqualTo(rightAddsDots);
          for (ReplicaId r : REPLICAS.subList(0, 3)) {
            for (long c = 1; c <= 11; c++) {
              Dot dot = new Dot(r, c);
              assertThat(merged.contains(dot)).as("%s", dot).isEqualTo(expected.contains(dot));
            }
            for (Dot d : merged.cloud()) {
              assertThat(d.counter()).isGreaterThan(merged.vector().get(d.replica()) + 1);
            }
          }
          assertThat(merged).isEqualTo(right.merge(left));
        });
  }

  private static void setOrRemove(TreeMap<ReplicaId, Long> model, ReplicaId r, long n) {
    if (n == 0) {
      model.remove(r);
    } else {
      model.put(r, n);
    }
  }

  private static TreeMap<ReplicaId, Long> max(Map<ReplicaId, Long> a, Map<ReplicaId, Long> b) {
    TreeMap<ReplicaId, Long> max = new TreeMap<>(a);
    b.forEach((r, n) -> max.merge(r, n, Math::max));
    return max;
  }

  private static Causality compare(Map<ReplicaId, Long> a, Map<ReplicaId, Long> b) {
    boolean aAhead = false;
    boolean bAhead = false;
    Set<ReplicaId> all = new HashSet<>(a.keySet());
    all.addAll(b.keySet());
    for (ReplicaId r : all) {
      long x = a.getOrDefault(r, 0L);
      long y = b.getOrDefault(r, 0L);
      aAhead |= x > y;
      bAhead |= x < y;
    }
    if (aAhead) {
      return bAhead ? Causality.CONCURRENT : Causality.AFTER;
    }
    return bAhead ? Causality.BEFORE : Causality.EQUAL;
  }

  private static void assertMatches(VersionVector vector, TreeMap<ReplicaId, Long> model) {
    assertThat(vector.asMap()).isEqualTo(model);
    assertThat(List.copyOf(vector.asMap().keySet())).isEqualTo(List.copyOf(model.keySet()));
    assertThat(vector.size()).isEqualTo(model.size());
    assertThat(vector.isEmpty()).isEqualTo(model.isEmpty());
    assertThat(vector.hashCode()).isEqualTo(model.hashCode());
    assertThat(vector.toString()).isEqualTo(model.toString());
    for (ReplicaId r : REPLICAS) {
      assertThat(vector.get(r)).isEqualTo(model.getOrDefault(r, 0L));
    }
    VersionVector rebuilt = new VersionVector();
    model.forEach(rebuilt::put);
    assertThat(vector).isEqualTo(rebuilt);
    assertThat(vector.copy()).isEqualTo(vector);
  }
}
