package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Examples of what merging an {@link Orswot} means, and the bugs found in it. */
class OrswotTest {
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");

  @Test
  void concurrentAddAndRemoveOfTheSameElementLeavesItPresent() {
    Orswot<String> a = new Orswot<>(ElementCodec.UTF8);
    a.add(A, "x");
    Orswot<String> b = a.copy();

    Orswot<String> removal = a.remove("x");
    Orswot<String> addition = b.add(B, "x");

    assertThat(a.merge(addition).contains("x")).isTrue();
    assertThat(b.merge(removal).contains("x")).isTrue();
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
  }

  @Test
  void aRemoveDropsOnlyTheAddsItObserved() {
    Orswot<String> a = new Orswot<>(ElementCodec.UTF8);
    Orswot<String> b = new Orswot<>(ElementCodec.UTF8);
    a.add(A, "x");
    b.add(B, "x");
    a.mergeFrom(b);
    Orswot<String> unseen = b.add(B, "x"); // b re-adds: a new dot a has not seen

    a.remove("x");
    assertThat(a.contains("x")).isFalse();
    a.mergeFrom(unseen);
    assertThat(a.contains("x")).isTrue();
  }

  @Test
  void removingAnAbsentElementReturnsAnEmptyDeltaAndChangesNothing() {
    Orswot<String> set = new Orswot<>(ElementCodec.UTF8);
    set.add(A, "x");
    Orswot<String> before = set.copy();

    Orswot<String> delta = set.remove("y");

    assertThat(delta).isEqualTo(new Orswot<>(ElementCodec.UTF8));
    assertThat(set).isEqualTo(before);
  }

  @Test
  void clearRemovesEverythingObservedButNotConcurrentAdds() {
    Orswot<String> a = new Orswot<>(ElementCodec.UTF8);
    a.add(A, "x");
    a.add(A, "y");
    Orswot<String> b = a.copy();
    Orswot<String> concurrent = b.add(B, "z");

    a.clear();
    assertThat(a.isEmpty()).isTrue();
    a.mergeFrom(b);
    assertThat(a.elements()).containsExactly("z");
    assertThat(a.mergeFrom(concurrent)).isFalse();
  }

  @Test
  void elementsIsAnUnmodifiableView() {
    Orswot<String> set = new Orswot<>(ElementCodec.UTF8);
    Set<String> view = set.elements();
    set.add(A, "x");
    assertThat(view).containsExactly("x");
    assertThatThrownBy(() -> view.remove("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anElementTheCodecCannotEncodeIsRefusedAndNothingChanges() {
    Orswot<String> set = new Orswot<>(ElementCodec.UTF8);
    assertThatThrownBy(() -> set.add(A, "\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThat(set).isEqualTo(new Orswot<>(ElementCodec.UTF8));
  }

  /**
   * Found by the convergence law: a full-state merge walked our covered dots with a TreeMap
   * iterator and read the entry after {@code remove()}. TreeMap deletes a node with two children
   * by moving its successor's key and value into it, so the merge dropped the successor's dot (an
   * unrelated element) and kept the removed one.
   */
  @Test
  void fullMergeRemovingADotWithTwoTreeChildrenDropsThatDotNotItsSuccessor() {
    Orswot<String> a = new Orswot<>(ElementCodec.UTF8);
    a.add(A, "b"); // a:1
    a.add(A, "x"); // a:2
    Orswot<String> b = a.copy();
    a.add(A, "z"); // a:3; merge() copies a, and the copied index tree has a:2 at its root
    b.add(B, "x"); // b saw a:2 and replaced it: a full merge of b must drop a:2

    Orswot<String> merged = a.merge(b);

    assertThat(merged.elements()).containsExactlyInAnyOrder("b", "x", "z");
    assertThat(merged.context().vector().get(A)).isEqualTo(3);
    assertThat(merged).isEqualTo(b.merge(a));
  }

  /**
   * A full-state merge walks our covered dots alongside the dots the other side holds (a merge
   * join). The walk must not mistake "the other side has no dots left" for a dot at the largest
   * counter: a sentinel of {@code Long.MAX_VALUE} for the exhausted side would match our dot
   * {@code a:Long.MAX_VALUE} and keep it, though the other side saw it and no longer holds it.
   */
  @Test
  void fullMergeRemovesADotAtTheLargestCounterThatTheOtherSideNoLongerHolds() {
    VersionVector seenAll = new VersionVector();
    seenAll.put(A, Long.MAX_VALUE);
    Orswot<String> holder =
        Orswot.ofContext(
            ElementCodec.UTF8, CausalContext.ofCanonical(seenAll.copy(), new TreeMap<>()));
    holder.putDot("x", new Dot(A, Long.MAX_VALUE));
    holder.putDot("y", new Dot(A, 5));
    Orswot<String> remover =
        Orswot.ofContext(
            ElementCodec.UTF8, CausalContext.ofCanonical(seenAll.copy(), new TreeMap<>()));
    remover.putDot("y", new Dot(A, 5)); // still holds y, removed x

    assertThat(holder.mergeFrom(remover)).isTrue();

    assertThat(holder.elements()).containsExactly("y");
    assertThat(holder).isEqualTo(remover);
  }
}
