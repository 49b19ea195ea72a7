package dev.meld.chaos.checker;

import static dev.meld.chaos.checker.ResultAssert.assertResult;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeAndIndependentTest {

  private static final Checker OPTIMISM = h -> CheckResult.of(Validity.TRUE, Map.of());

  /** Jepsen's {@code compose-test}: two unbridled optimists. */
  @Test
  void jepsenComposeTest() {
    Map<String, Checker> both = new LinkedHashMap<>();
    both.put("a", OPTIMISM);
    both.put("b", OPTIMISM);
    assertResult(
        new Compose(both).check(history()),
        "{\"valid\":true,\"a\":{\"valid\":true},\"b\":{\"valid\":true}}");
  }

  @Test
  void composeMergesFalseOverUnknownOverTrue() {
    Map<String, Checker> m = new LinkedHashMap<>();
    m.put("yes", OPTIMISM);
    m.put("maybe", h -> CheckResult.of(Validity.UNKNOWN, Map.of()));
    assertThat(new Compose(m).check(history()).valid()).isEqualTo(Validity.UNKNOWN);
    m.put("no", h -> CheckResult.of(Validity.FALSE, Map.of()));
    assertThat(new Compose(m).check(history()).valid()).isEqualTo(Validity.FALSE);
  }

  @Test
  void registryComposesSeveralNames() {
    History h = history(invoke(0, "read", null), ok(0, "read", 1));
    CheckResult r = Checkers.of(List.of("counter", "pn-counter-final")).check(h);
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(((CheckResult) r.get("counter")).valid()).isEqualTo(Validity.FALSE);
    assertThat(((CheckResult) r.get("pn-counter-final")).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void unknownCheckerNameIsRejectedWithTheKnownNames() {
    assertThatThrownBy(() -> Checkers.named("linearizable"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "checker: \"linearizable\" (expected: one of counter, pn-counter,"
                + " pn-counter-final, set, set-full, set-full-kept, set-removes)");
  }

  /** Two keys, one of them broken; the nemesis op is part of both subhistories. */
  @Test
  void independentChecksEachKeyAndNamesTheFailures() {
    History h =
        History.of(
            List.of(
                new Op(0, 0, OpType.INVOKE, 0L, "add", List.of("x", 1)),
                new Op(1, 1, OpType.INVOKE, 1L, "add", List.of("y", 2)),
                new Op(2, 2, OpType.OK, 0L, "add", List.of("x", 1)),
                new Op(3, 3, OpType.OK, 1L, "add", List.of("y", 2)),
                new Op(4, 4, OpType.INFO, "nemesis", "start-partition", List.of("a", "b")),
                new Op(5, 5, OpType.INVOKE, 0L, "read", java.util.Arrays.asList("x", null)),
                new Op(6, 6, OpType.OK, 0L, "read", List.of("x", 1)),
                new Op(7, 7, OpType.INVOKE, 1L, "read", null),
                new Op(8, 8, OpType.OK, 1L, "read", List.of("y", 3))));
    CheckResult r = Independent.auto(CounterChecker.counter()).check(h);
    assertResult(
        r,
        "{\"valid\":false,\"results\":{"
            + "\"x\":{\"valid\":true,\"reads\":[[1,1,1]],\"errors\":[]},"
            + "\"y\":{\"valid\":false,\"reads\":[[2,3,2]],\"errors\":[[2,3,2]]}},"
            + "\"failures\":[\"y\"]}");
  }

  @Test
  void autoLeavesSingleKeyHistoriesWhole() {
    History h =
        history(invoke(0, "add", 1), ok(0, "add", 1), invoke(0, "read", null), ok(0, "read", 1));
    assertResult(
        Independent.auto(CounterChecker.counter()).check(h),
        "{\"valid\":true,\"reads\":[[1,1,1]],\"errors\":[]}");
  }

  @Test
  void forcedIndependentWithNoKeysIsUnknown() {
    History h = history(invoke(0, "add", 1), ok(0, "add", 1));
    assertResult(
        Independent.of(CounterChecker.counter()).check(h),
        "{\"valid\":\"unknown\",\"results\":{},\"failures\":[]}");
  }

  @Test
  void numericKeysAreWrittenAsJsonText() {
    History h =
        history(invoke(0, "read", java.util.Arrays.asList(5, null)), ok(0, "read", List.of(5, 0)));
    CheckResult r = Independent.auto(CounterChecker.counter()).check(h);
    assertThat(((Map<?, ?>) r.get("results")).keySet()).isEqualTo(java.util.Set.of("5"));
  }
}
