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
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The law of {@link Independent}: checking a keyed history is checking each key alone. */
class IndependentPropertiesTest {

  /**
   * Law: interleave single-key histories (distinct processes per key, values wrapped as {@code [k,
   * v]}); each key's result equals the checker's result on that key's own history, and the verdict
   * is their merge.
   */
  @Test
  void perKeyResultsEqualCheckingEachKeyAlone() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 4), integers().between(0, 40))
                .checkAssert(
                    (seed, keys, steps) -> {
                      Random random = new Random(seed);
                      List<History> parts = new ArrayList<>();
                      for (int k = 0; k < keys; k++) {
                        parts.add(Simulation.run(Kind.COUNTER, random.nextLong(), 2, steps));
                      }
                      // Break one key now and then, so both verdicts occur.
                      if (random.nextBoolean()) {
                        History first = parts.get(0);
                        long value = (Long) first.get(first.size() - 1).value();
                        parts.set(0, Simulation.withValue(first, first.size() - 1, value + 1000));
                      }
                      History keyed = interleave(parts, random);
                      Checker counter = CounterChecker.counter();
                      CheckResult r = Independent.auto(counter).check(keyed);
                      @SuppressWarnings("unchecked")
                      Map<String, CheckResult> results =
                          (Map<String, CheckResult>) r.get("results");
                      assertThat(results).hasSize(keys);
                      List<Validity> verdicts = new ArrayList<>();
                      for (int k = 0; k < keys; k++) {
                        CheckResult alone = counter.check(parts.get(k));
                        assertThat(results.get("k" + k).toMap()).isEqualTo(alone.toMap());
                        verdicts.add(alone.valid());
                      }
                      assertThat(r.valid()).isEqualTo(Validity.mergeAll(verdicts));
                    }));
  }

  private static History interleave(List<History> parts, Random random) {
    int[] next = new int[parts.size()];
    List<Op> ops = new ArrayList<>();
    int remaining = parts.stream().mapToInt(History::size).sum();
    while (remaining-- > 0) {
      int k;
      do {
        k = random.nextInt(parts.size());
      } while (next[k] >= parts.get(k).size());
      Op op = parts.get(k).get(next[k]++);
      ops.add(
          new Op(
              ops.size(),
              ops.size(),
              op.type(),
              (Long) op.process() + 10L * k,
              op.f(),
              java.util.Arrays.asList("k" + k, op.value())));
    }
    return History.of(ops);
  }
}
