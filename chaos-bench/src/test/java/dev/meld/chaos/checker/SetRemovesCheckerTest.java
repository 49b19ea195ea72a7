package dev.meld.chaos.checker;

import static dev.meld.chaos.checker.ResultAssert.assertResult;
import static dev.meld.chaos.history.TestHistories.fail;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.info;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.history.History;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code set-removes}: LOST, PHANTOM, DUPLICATE and RESURRECTED, each caught and each excused. */
class SetRemovesCheckerTest {

  private final Checker checker = new SetRemovesChecker();

  private CheckResult check(History h) {
    return checker.check(h);
  }

  private static List<Object> list(Object... elements) {
    return List.of(elements);
  }

  @Test
  void cleanHistoryIsValidWithEveryKey() {
    History h =
        history(
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(0, "add", 2), ok(0, "add", 2),
            invoke(0, "remove", 2), ok(0, "remove", 2),
            invoke(1, "final-read", null), ok(1, "final-read", list(1)),
            invoke(2, "final-read", null), ok(2, "final-read", list(1)));
    assertResult(
        check(h),
        "{\"valid\":true,\"final-read-count\":2,\"attempt-count\":2,"
            + "\"acknowledged-count\":2,\"lost-count\":0,\"lost\":[],\"phantom-count\":0,"
            + "\"phantom\":[],\"duplicated-count\":0,\"duplicated\":[],\"resurrected-count\":0,"
            + "\"resurrected\":[]}");
  }

  @Test
  void noFinalReadIsUnknown() {
    History h =
        history(
            invoke(0, "add", 1), ok(0, "add", 1), invoke(1, "read", null), ok(1, "read", list(1)));
    assertThat(check(h).valid()).isEqualTo(Validity.UNKNOWN);
  }

  @Test
  void acknowledgedAddMissingFromOneNodesFinalReadIsLost() {
    History h =
        history(
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "final-read", null), ok(1, "final-read", list(1)),
            invoke(2, "final-read", null), ok(2, "final-read", list()));
    CheckResult r = check(h);
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.get("lost")).isEqualTo(List.of(1L));
  }

  @Test
  void absenceAfterAnIndeterminateRemoveIsNotLost() {
    History h =
        history(
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(0, "remove", 1), info(0, "remove", 1),
            invoke(1, "final-read", null), ok(1, "final-read", list()));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void removeConcurrentWithTheAddExcusesItsAbsence() {
    History h =
        history(
            invoke(0, "add", 1),
            invoke(1, "remove", 1),
            ok(1, "remove", 1),
            ok(0, "add", 1),
            invoke(2, "final-read", null),
            ok(2, "final-read", list()));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void removeThatEndedBeforeTheAddOrFailedDoesNotExcuseIt() {
    History h =
        history(
            invoke(1, "remove", 1), ok(1, "remove", 1),
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "remove", 1), fail(1, "remove", 1),
            invoke(2, "final-read", null), ok(2, "final-read", list()));
    assertThat(check(h).get("lost")).isEqualTo(List.of(1L));
  }

  /**
   * Regression: a remove that timed out before the add was invoked was taken to have ended, so the
   * element's absence was reported LOST; but an indeterminate remove may still land later.
   */
  @Test
  void infoRemoveThatEndedBeforeTheAddMayStillLandAfterIt() {
    History h =
        history(
            invoke(1, "remove", 1), info(1, "remove", 1),
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(2, "final-read", null), ok(2, "final-read", list()));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void finalReadConcurrentWithTheAddMayMissIt() {
    History h =
        history(
            invoke(2, "final-read", null),
            invoke(0, "add", 1),
            ok(0, "add", 1),
            ok(2, "final-read", list()));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void elementNeverAttemptedIsPhantom() {
    History h =
        history(
            invoke(1, "read", null), ok(1, "read", list(7)),
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "final-read", null), ok(1, "final-read", list(1, 9)));
    CheckResult r = check(h);
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.get("phantom")).isEqualTo(List.of(7L, 9L));
  }

  @Test
  void elementReadBeforeItsAddWasInvokedIsPhantom() {
    History h =
        history(
            invoke(1, "read", null), ok(1, "read", list(1)),
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "final-read", null), ok(1, "final-read", list(1)));
    assertThat(check(h).get("phantom")).isEqualTo(List.of(1L));
  }

  @Test
  void readConcurrentWithTheAddMaySeeIt() {
    History h =
        history(
            invoke(1, "read", null),
            invoke(0, "add", 1),
            ok(1, "read", list(1)),
            ok(0, "add", 1),
            invoke(1, "final-read", null),
            ok(1, "final-read", list(1)));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void elementTwiceInOneReadIsDuplicate() {
    History h =
        history(
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "read", null), ok(1, "read", list(1, 1)),
            invoke(1, "final-read", null), ok(1, "final-read", list(1, 1, 1)));
    CheckResult r = check(h);
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.get("duplicated")).isEqualTo(List.of(List.of(1L, 3L)));
  }

  @Test
  void removedAfterEveryAddYetPresentIsResurrected() {
    History h =
        history(
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(0, "add", 1), fail(0, "add", 1),
            invoke(0, "remove", 1), ok(0, "remove", 1),
            invoke(1, "final-read", null), ok(1, "final-read", list(1)));
    CheckResult r = check(h);
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.get("resurrected")).isEqualTo(List.of(1L));
  }

  @Test
  void presenceAfterAnIndeterminateAddIsNotResurrection() {
    History h =
        history(
            invoke(0, "add", 1), info(0, "add", 1),
            invoke(1, "remove", 1), ok(1, "remove", 1),
            invoke(2, "final-read", null), ok(2, "final-read", list(1)));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void addConcurrentWithTheRemoveWins() {
    History h =
        history(
            invoke(0, "add", 1),
            invoke(1, "remove", 1),
            ok(1, "remove", 1),
            ok(0, "add", 1),
            invoke(2, "final-read", null),
            ok(2, "final-read", list(1)));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
  }

  @Test
  void reAddAfterARemoveIsNeitherLostNorResurrected() {
    History h =
        history(
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(0, "remove", 1), ok(0, "remove", 1),
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "final-read", null), ok(1, "final-read", list(1)));
    assertThat(check(h).valid()).isEqualTo(Validity.TRUE);
    History missing =
        history(
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(0, "remove", 1), ok(0, "remove", 1),
            invoke(0, "add", 1), ok(0, "add", 1),
            invoke(1, "final-read", null), ok(1, "final-read", list()));
    assertThat(check(missing).get("lost")).isEqualTo(List.of(1L));
  }

  @Test
  void maelstromStyleFinalReadCounts() {
    History h =
        history(
            invoke(0, "add", 1),
            ok(0, "add", 1),
            invoke(1, "read", null),
            new dev.meld.chaos.history.Op(
                0,
                0,
                dev.meld.chaos.history.OpType.OK,
                1L,
                "read",
                list(),
                java.util.Map.of("final?", true)));
    assertThat(check(h).get("lost")).isEqualTo(List.of(1L));
  }
}
