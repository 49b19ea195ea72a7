package dev.meld.chaos.checker;

import static dev.meld.chaos.checker.ResultAssert.assertResult;
import static dev.meld.chaos.history.TestHistories.fail;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.info;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.history.History;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code set} checker against Jepsen's {@code set-test-} in {@code checker_test.clj}. */
class SetCheckerTest {

  private final Checker set = new SetChecker();

  /**
   * Jepsen's only set example. Its expected output prints elements as interval strings ({@code "#{0
   * 10 20}"}); ours are sorted arrays with the same elements.
   */
  @Test
  void jepsenSetTest() {
    History h =
        history(
            invoke(0, "add", 0), ok(0, "add", 0),
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "add", 10), info(1, "add", 10),
            invoke(1, "add", 11), info(1, "add", 11),
            invoke(2, "add", 20), fail(2, "add", 20),
            invoke(2, "add", 21), fail(2, "add", 21),
            invoke(4, "read", null), ok(4, "read", List.of(0, 10, 20, 30)));
    assertResult(
        set.check(h),
        "{\"valid\":false,"
            + "\"attempt-count\":6,\"acknowledged-count\":2,\"ok-count\":3,\"lost-count\":1,"
            + "\"recovered-count\":2,\"unexpected-count\":1,"
            + "\"ok\":[0,10,20],\"lost\":[1],\"unexpected\":[30],\"recovered\":[10,20]}");
  }

  @Test
  void neverReadIsUnknown() {
    History h =
        history(
            invoke(0, "add", 0), ok(0, "add", 0), invoke(1, "read", null), info(1, "read", null));
    assertResult(set.check(h), "{\"valid\":\"unknown\",\"error\":\"Set was never read\"}");
  }

  @Test
  void onlyTheLastOkReadCounts() {
    History h =
        history(
            invoke(1, "read", null), ok(1, "read", List.of(99)),
            invoke(0, "add", 0), ok(0, "add", 0),
            invoke(1, "final-read", null), ok(1, "final-read", List.of(0)),
            invoke(1, "read", null), fail(1, "read", null));
    assertResult(
        set.check(h),
        "{\"valid\":true,"
            + "\"attempt-count\":1,\"acknowledged-count\":1,\"ok-count\":1,\"lost-count\":0,"
            + "\"recovered-count\":0,\"unexpected-count\":0,"
            + "\"ok\":[0],\"lost\":[],\"unexpected\":[],\"recovered\":[]}");
  }

  @Test
  void readThatIsNotAnArrayIsBadInput() {
    History h = history(invoke(1, "read", null), ok(1, "read", 3));
    assertThatThrownBy(() -> set.check(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("op 1: read value: 3 (expected: an array of elements)");
  }

  @Test
  void elementsSortAcrossTypes() {
    History h =
        history(
            invoke(0, "add", "b"), ok(0, "add", "b"),
            invoke(0, "add", 2), ok(0, "add", 2),
            invoke(1, "read", null), ok(1, "read", List.of()));
    assertResult(
        set.check(h),
        "{\"valid\":false,"
            + "\"attempt-count\":2,\"acknowledged-count\":2,\"ok-count\":0,\"lost-count\":2,"
            + "\"recovered-count\":0,\"unexpected-count\":0,"
            + "\"ok\":[],\"lost\":[2,\"b\"],\"unexpected\":[],\"recovered\":[]}");
  }
}
