package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** {@link ReplicaId}, {@link Dot}, {@link VersionVector} and {@link CausalContext}. */
class CausalityTest {
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");

  @Test
  void replicaIdsAreValidated() {
    assertThatThrownBy(() -> ReplicaId.of("")).hasMessage("node: \"\" (expected: non-empty)");
    assertThatThrownBy(() -> ReplicaId.of("é".repeat(128)))
        .hasMessage("node: 256 UTF-8 bytes (expected: <= 255)");
    assertThatThrownBy(() -> new ReplicaId("a", -1))
        .hasMessage("incarnation: -1 (expected: >= 0)");
    assertThatThrownBy(() -> ReplicaId.of("\uDC00")).hasMessageContaining("unpaired surrogate");
    assertThat(ReplicaId.of("x".repeat(255)).node()).hasSize(255);
    assertThatThrownBy(() -> new Dot(A, 0)).hasMessage("counter: 0 (expected: >= 1)");
  }

  @Test
  void replicaIdsOrderByNodeThenIncarnation() {
    List<ReplicaId> ids =
        new ArrayList<>(List.of(new ReplicaId("b", 0), new ReplicaId("a", 2), new ReplicaId("a", 10)));
    Collections.sort(ids);
    assertThat(ids)
        .containsExactly(new ReplicaId("a", 2), new ReplicaId("a", 10), new ReplicaId("b", 0));
  }

  @Test
  void versionVectorsCompareByCausality() {
    VersionVector v = new VersionVector();
    VersionVector w = new VersionVector();
    assertThat(v.compare(w)).isEqualTo(Causality.EQUAL);
    v.increment(A);
    assertThat(v.compare(w)).isEqualTo(Causality.AFTER);
    assertThat(w.compare(v)).isEqualTo(Causality.BEFORE);
    w.increment(B);
    assertThat(v.compare(w)).isEqualTo(Causality.CONCURRENT);
    VersionVector both = v.merge(w);
    assertThat(both.get(A)).isEqualTo(1);
    assertThat(both.get(B)).isEqualTo(1);
    assertThat(both.contains(new Dot(B, 1))).isTrue();
    assertThat(both.contains(new Dot(B, 2))).isFalse();
    assertThat(v.mergeFrom(w)).isTrue();
    assertThat(v.mergeFrom(w)).isFalse();
    assertThat(v).isEqualTo(both);
  }

  @Test
  void aCloudDotIsCompactedOnceItBecomesContiguous() {
    CausalContext c = new CausalContext();
    c.add(new Dot(A, 3));
    c.add(new Dot(A, 4));
    assertThat(c.vector().get(A)).isZero();
    assertThat(c.cloud()).containsExactly(new Dot(A, 3), new Dot(A, 4));
    c.add(new Dot(A, 1));
    c.add(new Dot(A, 2));
    assertThat(c.vector().get(A)).isEqualTo(4);
    assertThat(c.cloud()).isEmpty();
    assertThat(c.nextDot(A)).isEqualTo(new Dot(A, 5));
  }

  @Test
  void theNextDotIsPastTheCloud() {
    CausalContext c = new CausalContext();
    c.add(new Dot(A, 7));
    assertThat(c.nextDot(A)).isEqualTo(new Dot(A, 8));
  }

  /** Law: equal sets of dots make equal contexts, whatever order or grouping they arrive in. */
  @Test
  void equalDotSetsHaveEqualCanonicalForms() {
    Gen<List<Dot>> dots =
        SourceDSL.lists()
            .of(
                Generate.pick(List.of(A, B, new ReplicaId("a", 1)))
                    .zip(Generate.longRange(1, 12), Dot::new))
            .ofSizeBetween(0, 30);
    Props.check(
        getClass(),
        "equal dot sets have equal canonical contexts",
        dots.zip(Generate.longRange(0, Long.MAX_VALUE), (d, seed) -> List.of(d, List.of(seed))),
        input -> {
          @SuppressWarnings("unchecked")
          List<Dot> list = (List<Dot>) input.get(0);
          Random random = new Random((Long) ((List<?>) input.get(1)).get(0));
          CausalContext inOrder = new CausalContext();
          list.forEach(inOrder::add);
          List<Dot> shuffled = new ArrayList<>(list);
          Collections.shuffle(shuffled, random);
          CausalContext left = new CausalContext();
          CausalContext right = new CausalContext();
          for (Dot d : shuffled) {
            (random.nextBoolean() ? left : right).add(d);
          }
          CausalContext merged = left.merge(right);
          assertThat(merged).isEqualTo(inOrder);
          assertThat(merged.hashCode()).isEqualTo(inOrder.hashCode());
          for (Dot d : merged.cloud()) {
            assertThat(d.counter()).isGreaterThan(merged.vector().get(d.replica()) + 1);
          }
          for (Dot d : list) {
            assertThat(merged.contains(d)).isTrue();
          }
        });
  }
}
