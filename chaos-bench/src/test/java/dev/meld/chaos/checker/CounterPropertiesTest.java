package dev.meld.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.checker.Simulation.Kind;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.Props;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The laws of the counter checkers over histories of a correct counter. */
class CounterPropertiesTest {

  /** Law: a history of a correct grow-only counter is always valid for {@code counter}. */
  @Test
  void correctCounterIsAlwaysValid() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.COUNTER, seed, processes, steps);
                      assertThat(CounterChecker.counter().check(h).valid())
                          .isEqualTo(Validity.TRUE);
                    }));
  }

  /** Law: a history of a correct counter with decrements is always valid for {@code pn-counter}. */
  @Test
  void correctPnCounterIsAlwaysValid() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.PN_COUNTER, seed, processes, steps);
                      assertThat(CounterChecker.pnCounter().check(h).valid())
                          .isEqualTo(Validity.TRUE);
                    }));
  }

  /** Law: moving one ok read outside its bounds is caught, and that read is the error. */
  @Test
  void readOutsideItsBoundsIsCaught() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      for (Kind kind : List.of(Kind.COUNTER, Kind.PN_COUNTER)) {
                        Checker checker =
                            kind == Kind.COUNTER
                                ? CounterChecker.counter()
                                : CounterChecker.pnCounter();
                        History h = Simulation.run(kind, seed, processes, steps);
                        @SuppressWarnings("unchecked")
                        List<List<Long>> reads = (List<List<Long>>) checker.check(h).get("reads");
                        List<Integer> readPositions = new ArrayList<>();
                        for (int i = 0; i < h.size(); i++) {
                          Op op = h.get(i);
                          if (op.isOk() && (op.f().equals("read") || op.f().equals("final-read"))) {
                            readPositions.add(i);
                          }
                        }
                        Random random = new Random(seed);
                        int k = random.nextInt(reads.size());
                        List<Long> bounds = reads.get(k);
                        long bad =
                            random.nextBoolean()
                                ? bounds.get(2) + 1 + random.nextInt(3)
                                : bounds.get(0) - 1 - random.nextInt(3);
                        CheckResult r =
                            checker.check(Simulation.withValue(h, readPositions.get(k), bad));
                        assertThat(r.valid()).isEqualTo(Validity.FALSE);
                        assertThat(r.get("errors"))
                            .isEqualTo(List.of(List.of(bounds.get(0), bad, bounds.get(2))));
                      }
                    }));
  }
}
