package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The laws can fail: each deliberately wrong merge below is run through the contract, and the law
 * that should catch it must throw. A law that passed these would be a law that cannot fail.
 */
class LawsCatchBrokenMergesTest {
  @Test
  void aCounterMergeThatSumsInsteadOfMaxIsNotIdempotent() {
    CrdtSpec<GCounter, Long> summing =
        rejoined(
            new GCounterSpec(),
            (a, b) -> {
              GCounter sum = a.copy();
              b.slots().forEach(sum::increment);
              return sum;
            });
    assertCaught(() -> laws(summing).mergeIsIdempotent());
  }

  @Test
  void aPnCounterMergeThatDropsTheIncomingResetsIsNotCommutative() {
    CrdtSpec<PNCounter, PNCounterSpec.Op> forgetful =
        rejoined(
            new PNCounterSpec(),
            (a, b) -> {
              VersionVector[] v = b.vectorsView();
              return a.merge(
                  PNCounter.ofCanonical(v[0], v[1], new VersionVector(), new VersionVector()));
            });
    assertCaught(() -> laws(forgetful).mergeIsCommutative());
  }

  @Test
  void aSetMergeThatDropsTheDotsOfOneIncomingElementIsNotIdempotent() {
    CrdtSpec<Orswot<Bytes>, OrswotSpec.Op<Bytes>> dropping =
        rejoined(
            OrswotSpec.ofBytes(),
            (a, b) -> {
              Orswot<Bytes> lossy = b.copy();
              lossy.elements().stream().sorted().findFirst().ifPresent(lossy::remove);
              return a.merge(lossy);
            });
    assertCaught(() -> laws(dropping).mergeIsIdempotent());
  }

  /** A union of dots that ignores the context: commutative, but removes never travel. */
  @Test
  void aSetMergeThatIgnoresTheContextMakesDeltasDisagreeWithFullStates() {
    CrdtSpec<Orswot<Bytes>, OrswotSpec.Op<Bytes>> unionOnly =
        rejoined(
            OrswotSpec.ofBytes(),
            (a, b) -> {
              Orswot<Bytes> union = a.copy();
              for (Map.Entry<Bytes, Dot[]> e : b.entriesView().entrySet()) {
                Arrays.stream(e.getValue())
                    .filter(d -> !union.holds(d.replica(), d.counter()))
                    .forEach(d -> union.putDot(e.getKey(), d));
              }
              union.contextView().mergeFrom(b.contextView());
              return union;
            });
    assertCaught(() -> laws(unionOnly).deltasEqualFullStates());
  }

  @Test
  void aRegisterMergeWhereTheArgumentWinsFullTiesIsNotCommutative() {
    CrdtSpec<LwwRegister<Bytes>, LwwRegisterSpec.Op> argumentWins =
        rejoined(
            new LwwRegisterSpec(),
            (a, b) ->
                !a.isEmpty()
                        && !b.isEmpty()
                        && a.stamp() == b.stamp()
                        && a.writer().equals(b.writer())
                    ? b.copy()
                    : a.merge(b));
    assertCaught(() -> laws(argumentWins).mergeIsCommutative());
  }

  private static <T extends Crdt<T>, O> CrdtLaws<T, O> laws(CrdtSpec<T, O> spec) {
    return new CrdtLaws<>(spec, LawsCatchBrokenMergesTest.class).withoutShrinking();
  }

  private static void assertCaught(Runnable law) {
    assertThatThrownBy(law::run)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("law falsified");
  }

  /** {@code spec} with its join replaced by {@code join}. */
  private static <T extends Crdt<T>, O> CrdtSpec<T, O> rejoined(
      CrdtSpec<T, O> spec, BinaryOperator<T> join) {
    return new CrdtSpec<>() {
      @Override
      public T empty() {
        return spec.empty();
      }

      @Override
      public Gen<O> ops() {
        return spec.ops();
      }

      @Override
      public T apply(T state, ReplicaId replica, O op) {
        return spec.apply(state, replica, op);
      }

      @Override
      public T join(T a, T b) {
        return join.apply(a, b);
      }

      @Override
      public T decode(byte[] bytes) {
        return spec.decode(bytes);
      }

      @Override
      public Object read(T state) {
        return spec.read(state);
      }

      @Override
      public SequentialModel<O> model() {
        return spec.model();
      }
    };
  }
}
