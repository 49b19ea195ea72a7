package dev.meld.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.checker.Simulation.Kind;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Props;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The laws of {@code pn-counter-final} and of the range set behind it. */
class PnCounterFinalPropertiesTest {

  private static Set<Long> subsetSums(long base, List<Long> deltas) {
    Set<Long> sums = new HashSet<>(Set.of(base));
    for (long d : deltas) {
      Set<Long> next = new HashSet<>(sums);
      sums.forEach(s -> next.add(s + d));
      sums = next;
    }
    return sums;
  }

  /** Law: the ranges hold exactly the base plus the subset sums of the deltas. */
  @Test
  void rangesAreExactlyTheSubsetSums() {
    Props.check(
        qt ->
            qt.forAll(
                    integers().between(-50, 50),
                    lists().of(integers().between(-40, 40)).ofSizeBetween(0, 10))
                .checkAssert(
                    (base, deltas) -> {
                      List<Long> ds = deltas.stream().map(Integer::longValue).toList();
                      IntRanges r = IntRanges.point(base);
                      for (long d : ds) {
                        r = r.unionShifted(d);
                      }
                      Set<Long> sums = subsetSums(base, ds);
                      for (long v = -500; v <= 500; v++) {
                        assertThat(r.contains(v)).as("%d", v).isEqualTo(sums.contains(v));
                      }
                    }));
  }

  /** Law: coarsening never drops an acceptable value (so no false errors), and obeys its bound. */
  @Test
  void coarseningKeepsEverySubsetSum() {
    Props.check(
        qt ->
            qt.forAll(
                    integers().between(1, 8),
                    lists().of(integers().between(-400, 400)).ofSizeBetween(0, 10))
                .checkAssert(
                    (max, deltas) -> {
                      List<Long> ds = deltas.stream().map(Integer::longValue).toList();
                      IntRanges r = IntRanges.point(0);
                      for (long d : ds) {
                        r = r.unionShifted(d).coarsen(max);
                      }
                      assertThat(r.size()).isLessThanOrEqualTo(max);
                      for (long sum : subsetSums(0, ds)) {
                        assertThat(r.contains(sum)).as("%d", sum).isTrue();
                      }
                    }));
  }

  /** Law: the final reads of a correct counter with decrements are always acceptable. */
  @Test
  void correctCounterFinalReadsAreValid() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.PN_COUNTER, seed, processes, steps);
                      CheckResult r =
                          new PnCounterFinalChecker(PnCounterFinalChecker.DEFAULT_MAX_RANGES)
                              .check(h);
                      assertThat(r.valid()).isEqualTo(Validity.TRUE);
                      assertThat((List<?>) r.get("final-reads")).hasSize(processes);
                    }));
  }

  /** Law: a final read outside the acceptable set is caught, and only that one. */
  @Test
  void finalReadOutsideTheAcceptableSetIsCaught() {
    Props.check(
        qt ->
            qt.forAll(
                    longs().all(),
                    integers().between(1, 6),
                    integers().between(0, 80),
                    integers().between(1, 1000))
                .checkAssert(
                    (seed, processes, steps, offset) -> {
                      History h = Simulation.run(Kind.PN_COUNTER, seed, processes, steps);
                      Checker checker =
                          new PnCounterFinalChecker(PnCounterFinalChecker.DEFAULT_MAX_RANGES);
                      @SuppressWarnings("unchecked")
                      List<List<Long>> acceptable =
                          (List<List<Long>>) checker.check(h).get("acceptable");
                      long outside = acceptable.get(acceptable.size() - 1).get(1) + offset;
                      CheckResult r = checker.check(Simulation.withValue(h, h.size() - 1, outside));
                      assertThat(r.valid()).isEqualTo(Validity.FALSE);
                      assertThat((List<?>) r.get("errors")).hasSize(1);
                    }));
  }
}
