package dev.meld.chaos.checker;

import static dev.meld.chaos.checker.ResultAssert.assertResult;
import static dev.meld.chaos.history.TestHistories.fail;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.info;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code pn-counter-final} against Maelstrom's {@code checker-test} in {@code
 * test/maelstrom/workload/pn_counter_test.clj}. Maelstrom's histories there are completions only;
 * ours must pair every client completion with an invocation, so each is preceded by its invoke,
 * which changes nothing the check reads. Maelstrom marks final reads {@code :final? true}; both
 * that form and {@code final-read} are used below. Where Maelstrom has {@code :errors nil}, the
 * result has {@code []}; the errors are the offending ops.
 */
class PnCounterFinalCheckerTest {

  private final Checker checker =
      new PnCounterFinalChecker(PnCounterFinalChecker.DEFAULT_MAX_RANGES);

  private static Op finalRead(long process, long value) {
    Op read = ok(process, "read", value);
    return new Op(0, 0, read.type(), read.process(), "read", value, Map.of("final?", true));
  }

  @Test
  void maelstromEmpty() {
    assertResult(
        checker.check(history()),
        "{\"valid\":true,\"errors\":[],\"final-reads\":[],\"acceptable\":[[0,0]]}");
  }

  @Test
  void maelstromDefinite() {
    History h =
        history(
            invoke(0, "add", 2), ok(0, "add", 2),
            invoke(1, "add", 3), ok(1, "add", 3),
            invoke(2, "read", null), finalRead(2, 5),
            invoke(3, "read", null), finalRead(3, 4));
    assertResult(
        checker.check(h),
        "{\"valid\":false,"
            + "\"errors\":[{\"index\":7,\"time\":7000000,\"type\":\"ok\",\"process\":3,"
            + "\"f\":\"read\",\"value\":4,\"final?\":true}],"
            + "\"final-reads\":[5,4],\"acceptable\":[[5,5]]}");
  }

  @Test
  void maelstromIndefinite() {
    History h =
        history(
            invoke(0, "add", 10), ok(0, "add", 10),
            invoke(1, "add", 5), info(1, "add", 5),
            invoke(2, "add", -1), info(2, "add", -1),
            invoke(3, "add", -1), info(3, "add", -1),
            invoke(4, "final-read", null), ok(4, "final-read", 11),
            invoke(5, "final-read", null), ok(5, "final-read", 15));
    CheckResult r = checker.check(h);
    assertResult(
        r,
        "{\"valid\":false,"
            + "\"errors\":[{\"index\":9,\"time\":9000000,\"type\":\"ok\",\"process\":4,"
            + "\"f\":\"final-read\",\"value\":11}],"
            + "\"final-reads\":[11,15],\"acceptable\":[[8,10],[13,15]]}");
  }

  @Test
  void openAddsAreIndeterminateAndFailedAddsNeverHappened() {
    History h =
        history(
            invoke(0, "add", 4),
            invoke(1, "add", 100),
            fail(1, "add", 100),
            invoke(2, "final-read", null),
            ok(2, "final-read", 4),
            invoke(3, "final-read", null),
            ok(3, "final-read", 100));
    assertResult(
        checker.check(h),
        "{\"valid\":false,"
            + "\"errors\":[{\"index\":6,\"time\":6000000,\"type\":\"ok\",\"process\":3,"
            + "\"f\":\"final-read\",\"value\":100}],"
            + "\"final-reads\":[4,100],\"acceptable\":[[0,0],[4,4]]}");
  }

  @Test
  void ordinaryReadsAreNotFinal() {
    History h = history(invoke(0, "read", null), ok(0, "read", 42));
    assertThat(checker.check(h).valid()).isEqualTo(Validity.TRUE);
    assertThat(checker.check(h).get("final-reads")).isEqualTo(List.of());
  }

  /** Deltas 2, 20, 200, ... give 2^k distinct sums; the bound keeps the ranges in check. */
  @Test
  void farApartDeltasAreCoarsenedToTheBoundAndSaySo() {
    List<Op> ops = new ArrayList<>();
    long delta = 2;
    for (int p = 0; p < 12; p++) {
      ops.add(invoke(p, "add", delta));
      ops.add(info(p, "add", delta));
      delta *= 10;
    }
    ops.add(invoke(99, "final-read", null));
    ops.add(ok(99, "final-read", 222));
    CheckResult exact = new PnCounterFinalChecker(1 << 12).check(history(ops));
    assertThat((List<?>) exact.get("acceptable")).hasSize(1 << 12);
    assertThat(exact.get("approximate")).isNull();

    CheckResult coarse = new PnCounterFinalChecker(64).check(history(ops));
    assertThat((List<?>) coarse.get("acceptable")).hasSize(64);
    assertThat(coarse.get("approximate")).isEqualTo(true);
    assertThat(coarse.valid()).isEqualTo(Validity.TRUE);
  }
}
