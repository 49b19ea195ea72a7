package dev.meld.chaos.checker;

import static dev.meld.chaos.checker.ResultAssert.assertResult;
import static dev.meld.chaos.history.TestHistories.fail;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.info;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code counter} checker against Jepsen's own examples: every case of {@code counter-test} in
 * {@code jepsen/test/jepsen/checker_test.clj}, same histories, same expected results.
 */
class CounterCheckerTest {

  private final Checker counter = CounterChecker.counter();

  @Test
  void jepsenEmpty() {
    assertResult(counter.check(history()), "{\"valid\":true,\"reads\":[],\"errors\":[]}");
  }

  @Test
  void jepsenInitialRead() {
    assertResult(
        counter.check(history(invoke(0, "read", null), ok(0, "read", 0))),
        "{\"valid\":true,\"reads\":[[0,0,0]],\"errors\":[]}");
  }

  @Test
  void jepsenIgnoreFailedOps() {
    assertResult(
        counter.check(
            history(
                invoke(0, "add", 1), fail(0, "add", 1),
                invoke(0, "read", null), ok(0, "read", 0))),
        "{\"valid\":true,\"reads\":[[0,0,0]],\"errors\":[]}");
  }

  @Test
  void jepsenIncompleteHistory() {
    assertResult(
        counter.check(
            history(
                invoke(0, "add", 1),
                invoke(1, "read", null),
                ok(1, "read", 0),
                invoke(1, "read", null),
                ok(1, "read", 1))),
        "{\"valid\":true,\"reads\":[[0,0,1],[0,1,1]],\"errors\":[]}");
  }

  @Test
  void jepsenInitialInvalidRead() {
    assertResult(
        counter.check(history(invoke(0, "read", null), ok(0, "read", 1))),
        "{\"valid\":false,\"reads\":[[0,1,0]],\"errors\":[[0,1,0]]}");
  }

  @Test
  void jepsenInterleavedConcurrentReadsAndWrites() {
    History h =
        history(
            invoke(0, "read", null),
            invoke(1, "add", 1),
            invoke(2, "read", null),
            invoke(3, "add", 2),
            invoke(4, "read", null),
            invoke(5, "add", 4),
            invoke(6, "read", null),
            invoke(7, "add", 8),
            invoke(8, "read", null),
            ok(0, "read", 6),
            ok(1, "add", 1),
            ok(2, "read", 0),
            ok(3, "add", 2),
            ok(4, "read", 3),
            ok(5, "add", 4),
            ok(6, "read", 100),
            ok(7, "add", 8),
            ok(8, "read", 15));
    assertResult(
        counter.check(h),
        "{\"valid\":false,"
            + "\"reads\":[[0,6,15],[0,0,15],[0,3,15],[0,100,15],[0,15,15]],"
            + "\"errors\":[[0,100,15]]}");
  }

  /** Jepsen's "rolling reads and writes" history, shared with the pn-counter tests. */
  static History jepsenRolling() {
    return history(
        invoke(0, "read", null),
        invoke(1, "add", 1),
        ok(0, "read", 0),
        invoke(0, "read", null),
        ok(1, "add", 1),
        invoke(1, "add", 2),
        ok(0, "read", 3),
        invoke(0, "read", null),
        ok(1, "add", 2),
        ok(0, "read", 5));
  }

  static final String JEPSEN_ROLLING_RESULT =
      "{\"valid\":false,\"reads\":[[0,0,1],[0,3,3],[1,5,3]],\"errors\":[[1,5,3]]}";

  @Test
  void jepsenRollingReadsAndWrites() {
    assertResult(counter.check(jepsenRolling()), JEPSEN_ROLLING_RESULT);
  }

  @Test
  void infoAddRaisesOnlyTheUpperBound() {
    History h =
        history(
            invoke(0, "add", 5), info(0, "add", 5),
            invoke(1, "read", null), ok(1, "read", 5),
            invoke(1, "read", null), ok(1, "read", 0));
    assertResult(counter.check(h), "{\"valid\":true,\"reads\":[[0,5,5],[0,0,5]],\"errors\":[]}");
  }

  @Test
  void infoAddWithNullValueStillCountsItsInvokedDelta() {
    History h =
        history(
            invoke(0, "add", 5), info(0, "add", null),
            invoke(1, "read", null), ok(1, "read", 6));
    assertResult(counter.check(h), "{\"valid\":false,\"reads\":[[0,6,5]],\"errors\":[[0,6,5]]}");
  }

  @Test
  void failedAndInfoReadsAreNotJudged() {
    History h =
        history(
            invoke(0, "read", null), fail(0, "read", null),
            invoke(1, "read", null), info(1, "read", null));
    assertResult(counter.check(h), "{\"valid\":true,\"reads\":[],\"errors\":[]}");
  }

  @Test
  void nemesisOpsAreIgnored() {
    History h =
        History.of(
            List.of(
                new Op(0, 0, OpType.INFO, "nemesis", "add", 100),
                new Op(1, 1, OpType.INVOKE, 0L, "read", null),
                new Op(2, 2, OpType.OK, 0L, "read", 0)));
    assertThat(counter.check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void finalReadsAreReadsToo() {
    History h = history(invoke(0, "final-read", null), ok(0, "final-read", 1));
    assertResult(counter.check(h), "{\"valid\":false,\"reads\":[[0,1,0]],\"errors\":[[0,1,0]]}");
  }

  @Test
  void negativeAddIsBadInputForTheGrowOnlyCounter() {
    History h = history(invoke(0, "add", -1), ok(0, "add", -1));
    assertThatThrownBy(() -> counter.check(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "op 0: add value: -1 (expected: >= 0 for counter; use pn-counter for" + " decrements)");
  }

  @Test
  void nonIntegerReadIsBadInput() {
    History h = history(invoke(0, "read", null), ok(0, "read", "seven"));
    assertThatThrownBy(() -> counter.check(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("op 1: read value: \"seven\" (expected: an integer)");
  }

  @Test
  void boundOverflowIsBadInput() {
    History h =
        history(
            invoke(0, "add", Long.MAX_VALUE), ok(0, "add", Long.MAX_VALUE), invoke(0, "add", 1));
    assertThatThrownBy(() -> counter.check(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: a sum within a long)");
  }
}
