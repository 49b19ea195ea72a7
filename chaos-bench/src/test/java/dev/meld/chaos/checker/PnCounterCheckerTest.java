package dev.meld.chaos.checker;

import static dev.meld.chaos.checker.ResultAssert.assertResult;
import static dev.meld.chaos.history.TestHistories.fail;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.info;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;

import dev.meld.chaos.history.History;
import org.junit.jupiter.api.Test;

/** {@code pn-counter}: Jepsen's counter bounds, widened the other way by negative deltas. */
class PnCounterCheckerTest {

  private final Checker pn = CounterChecker.pnCounter();

  @Test
  void jepsenRollingReadsAndWritesGiveTheSameResult() {
    assertResult(
        pn.check(CounterCheckerTest.jepsenRolling()), CounterCheckerTest.JEPSEN_ROLLING_RESULT);
  }

  @Test
  void acknowledgedDecrementLowersBothBounds() {
    History h =
        history(
            invoke(0, "add", -3), ok(0, "add", -3),
            invoke(0, "read", null), ok(0, "read", -3),
            invoke(0, "read", null), ok(0, "read", 0));
    assertResult(
        pn.check(h), "{\"valid\":false,\"reads\":[[-3,-3,-3],[-3,0,-3]],\"errors\":[[-3,0,-3]]}");
  }

  @Test
  void failedDecrementIsIgnored() {
    History h =
        history(
            invoke(0, "add", -5), fail(0, "add", -5),
            invoke(0, "read", null), ok(0, "read", -5));
    assertResult(pn.check(h), "{\"valid\":false,\"reads\":[[0,-5,0]],\"errors\":[[0,-5,0]]}");
  }

  @Test
  void indeterminateDecrementWidensTheLowerBoundForGood() {
    History h =
        history(
            invoke(0, "add", -5), info(0, "add", -5),
            invoke(1, "read", null), ok(1, "read", -5),
            invoke(1, "read", null), ok(1, "read", 0),
            invoke(1, "read", null), ok(1, "read", 1));
    assertResult(
        pn.check(h),
        "{\"valid\":false," + "\"reads\":[[-5,-5,0],[-5,0,0],[-5,1,0]],\"errors\":[[-5,1,0]]}");
  }

  /**
   * A decrement invoked while a read runs may take effect before the read; Jepsen's endpoints
   * (lower at the read's invocation) would call the read below it an error. The window's least
   * lower bound does not.
   */
  @Test
  void readConcurrentWithDecrementMaySeeIt() {
    History h =
        history(invoke(0, "read", null), invoke(1, "add", -2), ok(1, "add", -2), ok(0, "read", -2));
    assertResult(pn.check(h), "{\"valid\":true,\"reads\":[[-2,-2,0]],\"errors\":[]}");
  }

  @Test
  void readConcurrentWithIncrementMaySeeIt() {
    History h =
        history(
            invoke(0, "read", null),
            invoke(1, "add", 2),
            ok(1, "add", 2),
            invoke(1, "add", -2),
            ok(1, "add", -2),
            ok(0, "read", 2));
    assertResult(pn.check(h), "{\"valid\":true,\"reads\":[[0,2,2]],\"errors\":[]}");
  }
}
