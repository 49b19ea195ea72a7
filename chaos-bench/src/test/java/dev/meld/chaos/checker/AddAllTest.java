package dev.meld.chaos.checker;

import static dev.meld.chaos.history.TestHistories.fail;
import static dev.meld.chaos.history.TestHistories.history;
import static dev.meld.chaos.history.TestHistories.info;
import static dev.meld.chaos.history.TestHistories.invoke;
import static dev.meld.chaos.history.TestHistories.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.history.History;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code add-all} (a pre-fill's SADD of many members) to the set checkers: an add of each of its
 * elements; and {@code set-full-kept}, set-full over the elements no remove was invoked for.
 */
class AddAllTest {

  private static List<Object> list(Object... elements) {
    return List.of(elements);
  }

  /** Two add-alls (one acknowledged, one indeterminate), an add, and final reads missing 2 and 5. */
  private static History missingTwoAndFive() {
    return history(
        invoke(0, "add-all", list(1L, 2L, 3L)), ok(0, "add-all", list(1L, 2L, 3L)),
        invoke(1, "add-all", list(4L, 5L)), info(1, "add-all", list(4L, 5L)),
        invoke(2, "add", 6L), ok(2, "add", 6L),
        invoke(3, "final-read", null), ok(3, "final-read", list(1L, 3L, 4L, 6L)));
  }

  @Test
  void setRemovesCountsEachElementOfAnAcknowledgedAddAllAndExcusesAnIndeterminateOne() {
    CheckResult r = new SetRemovesChecker().check(missingTwoAndFive());
    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.get("attempt-count")).isEqualTo(6L);
    assertThat(r.get("acknowledged-count")).isEqualTo(4);
    assertThat(r.get("lost")).isEqualTo(list(2L));
    assertThat(r.get("phantom")).isEqualTo(list());
  }

  @Test
  void setFullAndSetDoTheSame() {
    CheckResult full = new SetFullChecker(false).check(missingTwoAndFive());
    assertThat(full.valid()).isEqualTo(Validity.FALSE);
    assertThat(full.get("attempt-count")).isEqualTo(6);
    assertThat(full.get("lost")).isEqualTo(list(2L));
    assertThat(full.get("never-read")).isEqualTo(list(5L));
    CheckResult set = new SetChecker().check(missingTwoAndFive());
    assertThat(set.get("attempt-count")).isEqualTo(6);
    assertThat(set.get("acknowledged-count")).isEqualTo(4);
    assertThat(set.get("lost")).isEqualTo(list(2L));
    assertThat(set.get("recovered")).isEqualTo(list(4L));
  }

  @Test
  void aFailedAddAllAddedNothingSoItsElementsInAReadAreNotPhantoms() {
    History h =
        history(
            invoke(0, "add-all", list(1L, 2L)), fail(0, "add-all", list(1L, 2L)),
            invoke(1, "final-read", null), ok(1, "final-read", list(1L)));
    CheckResult r = new SetRemovesChecker().check(h);
    assertThat(r.valid()).isEqualTo(Validity.TRUE);
    assertThat(r.get("acknowledged-count")).isEqualTo(0);
  }

  @Test
  void anAddAllWhoseValueIsNotAnArrayIsBadInputNamingTheOp() {
    History h = history(invoke(0, "add-all", 7L), ok(0, "add-all", 7L));
    assertThatThrownBy(() -> new SetFullChecker(false).check(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("op 0: add-all value: 7 (expected: an array of elements)");
  }

  @Test
  void setFullKeptJudgesOnlyElementsNoRemoveWasInvokedFor() {
    History h =
        history(
            invoke(0, "add-all", list(1L, 2L, 3L)), ok(0, "add-all", list(1L, 2L, 3L)),
            invoke(0, "add", 4L), ok(0, "add", 4L),
            invoke(0, "remove", 2L), ok(0, "remove", 2L),
            invoke(0, "remove", 4L), info(0, "remove", 4L),
            invoke(1, "read", null), ok(1, "read", list(1L, 3L)),
            invoke(2, "final-read", null), ok(2, "final-read", list(1L, 3L)));
    CheckResult kept = Checkers.named("set-full-kept").check(h);
    assertThat(kept.valid()).isEqualTo(Validity.TRUE);
    assertThat(kept.get("attempt-count")).isEqualTo(2);
    assertThat(kept.get("stable-count")).isEqualTo(2);
    assertThat(kept.get("removed-count")).isEqualTo(2);
    // Plain set-full calls the removed elements lost: why the kept variant exists.
    assertThat(Checkers.named("set-full").check(h).get("lost")).isEqualTo(list(2L, 4L));
  }

  @Test
  void setFullKeptStillCatchesAKeptElementThatWasSeenAndThenLost() {
    History h =
        history(
            invoke(0, "add-all", list(1L, 2L)), ok(0, "add-all", list(1L, 2L)),
            invoke(0, "remove", 2L), ok(0, "remove", 2L),
            invoke(1, "read", null), ok(1, "read", list(1L)),
            invoke(2, "final-read", null), ok(2, "final-read", list()));
    CheckResult kept = Checkers.named("set-full-kept").check(h);
    assertThat(kept.valid()).isEqualTo(Validity.FALSE);
    assertThat(kept.get("lost")).isEqualTo(list(1L));
  }
}
