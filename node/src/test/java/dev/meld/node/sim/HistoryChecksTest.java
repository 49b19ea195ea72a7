package dev.meld.node.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryChecksTest {

  private static List<Violation.Kind> kinds(HistoryBuilder history) {
    return HistoryChecks.check(history.build()).stream().map(Violation::kind).toList();
  }

  @Test
  void countedDeltasWithinIndeterminateBoundsPass() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "incr", "c", 3L, "n1")
            .done(2, "incr", "c", -1L, "n2")
            .invoke(3, "incr", "c", 5L, "n1")
            .info(3, "incr", "c", 5L, "n1")
            .finalRead("n1", "c", 7L)
            .finalRead("n2", "c", 7L);
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void aMissingAcknowledgedIncrementIsOutOfBounds() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "incr", "c", 3L, "n1")
            .done(1, "incr", "c", 4L, "n2")
            .finalRead("n1", "c", 3L);
    List<Violation> found = HistoryChecks.check(h.build());
    assertThat(found)
        .extracting(Violation::kind)
        .containsExactly(Violation.Kind.COUNTER_OUT_OF_BOUNDS);
    assertThat(found.get(0).key()).isEqualTo("c");
    assertThat(found.get(0).message()).contains("3 (expected: in [7, 7]");
  }

  @Test
  void aFailedDeltaThatWasAppliedIsOutOfBounds() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "incr", "c", 3L, "n1")
            .invoke(1, "incr", "c", 4L, "n1")
            .fail(1, "incr", "c", 4L, "n1")
            .finalRead("n1", "c", 7L);
    assertThat(kinds(h)).containsExactly(Violation.Kind.COUNTER_OUT_OF_BOUNDS);
  }

  @Test
  void indeterminateDeltasWidenTheBoundsEachInItsOwnDirection() {
    for (long read : new long[] {1, 3, 5, 7}) {
      HistoryBuilder h =
          new HistoryBuilder()
              .done(1, "incr", "c", 3L, "n1")
              .invoke(2, "incr", "c", 4L, "n1")
              .info(2, "incr", "c", 4L, "n1")
              .invoke(3, "incr", "c", -2L, "n2")
              .info(3, "incr", "c", -2L, "n2")
              .finalRead("n1", "c", read);
      assertThat(kinds(h)).as("read %d", read).isEmpty();
    }
    HistoryBuilder below =
        new HistoryBuilder()
            .done(1, "incr", "c", 3L, "n1")
            .invoke(3, "incr", "c", -2L, "n2")
            .info(3, "incr", "c", -2L, "n2")
            .finalRead("n1", "c", 0L);
    assertThat(kinds(below)).containsExactly(Violation.Kind.COUNTER_OUT_OF_BOUNDS);
  }

  @Test
  void aReadAboveEverythingAttemptedIsImpossible() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "incr", "c", 3L, "n1")
            .done(2, "counter-read", "c", 4L, "n2")
            .done(1, "incr", "c", 1L, "n1")
            .finalRead("n1", "c", 4L);
    assertThat(kinds(h)).containsExactly(Violation.Kind.COUNTER_READ_IMPOSSIBLE);
  }

  @Test
  void differentFinalReadsDiverge() {
    HistoryBuilder h =
        new HistoryBuilder()
            .invoke(1, "incr", "c", 3L, "n1")
            .info(1, "incr", "c", 3L, "n1")
            .finalRead("n1", "c", 0L)
            .finalRead("n2", "c", 3L);
    assertThat(kinds(h)).containsExactly(Violation.Kind.DIVERGED);
  }

  @Test
  void setReadsInAnotherOrderDoNotDiverge() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .done(1, "add", "s", "b", "n1")
            .finalRead("n1", "s", List.of("a", "b"))
            .finalRead("n2", "s", List.of("b", "a"));
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void aWipedUnreplicatedWriteMayBeGone() {
    HistoryBuilder h = new HistoryBuilder();
    long incr = h.nextIndex();
    h.done(1, "incr", "c", 3L, "n1");
    long add = h.nextIndex();
    h.done(1, "add", "s", "a", "n1")
        .wipe("n1", List.of(incr, add))
        .finalRead("n1", "c", 0L)
        .finalRead("n1", "s", List.of());
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void anAcknowledgedAddNothingRemovedIsLost() {
    HistoryBuilder h =
        new HistoryBuilder().done(1, "add", "s", "a", "n1").finalRead("n2", "s", List.of());
    List<Violation> found = HistoryChecks.check(h.build());
    assertThat(found).extracting(Violation::kind).containsExactly(Violation.Kind.LOST);
    assertThat(found.get(0).message()).startsWith("a was acknowledged by n1");
  }

  @Test
  void anIndeterminateRemoveExplainsAMissingAdd() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .invoke(2, "remove", "s", "a", "n2")
            .info(2, "remove", "s", "a", "n2")
            .finalRead("n2", "s", List.of());
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void aRemoveThatEndedBeforeTheAddBeganDoesNotExplainIt() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(2, "remove", "s", "a", "n2")
            .done(1, "add", "s", "a", "n1")
            .finalRead("n2", "s", List.of());
    assertThat(kinds(h)).containsExactly(Violation.Kind.LOST);
  }

  @Test
  void anElementNeverAddedIsAPhantom() {
    HistoryBuilder h = new HistoryBuilder().finalRead("n1", "s", List.of("ghost"));
    assertThat(kinds(h)).containsExactly(Violation.Kind.PHANTOM);
  }

  @Test
  void anElementReadBeforeItsAddWasInvokedIsAPhantom() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(2, "set-read", "s", List.of("a"), "n2")
            .done(1, "add", "s", "a", "n1")
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).containsExactly(Violation.Kind.PHANTOM);
  }

  @Test
  void anElementListedTwiceIsADuplicate() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .done(2, "set-read", "s", List.of("a", "a"), "n1")
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).containsExactly(Violation.Kind.DUPLICATE);
  }

  @Test
  void anElementBackAfterARemoveOnTheNodeThatAcknowledgedItsAddIsResurrected() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .done(1, "remove", "s", "a", "n1")
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).containsExactly(Violation.Kind.RESURRECTED);
  }

  @Test
  void anElementBackAfterARemoveOnANodeThatHadReadItIsResurrected() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .done(2, "set-read", "s", List.of("a"), "n2")
            .done(2, "remove", "s", "a", "n2")
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).containsExactly(Violation.Kind.RESURRECTED);
  }

  @Test
  void anElementBackAfterARemoveThatFoundItPresentIsResurrected() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .removed(2, "s", "a", "n2", true)
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).containsExactly(Violation.Kind.RESURRECTED);
  }

  @Test
  void aRemoveThatFoundTheElementAbsentProvesNothing() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .removed(2, "s", "a", "n2", false)
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void aRemoveOnANodeThatHadNotSeenTheAddRemovesNothing() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .done(2, "remove", "s", "a", "n2")
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void aWipeBetweenTheAddAndTheRemoveVoidsTheProofOfObservation() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .wipe("n1", List.of())
            .done(1, "remove", "s", "a", "n1")
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).isEmpty();
  }

  /**
   * Seed 2346 reported a resurrection: a read on n5 ran just before n5's wipe and its reply came
   * just after, so "no wipe between the read's completion and the remove" held although the remove
   * ran on the wiped disk. The wipe window must start at the read's invocation.
   */
  @Test
  void aReadThatRanBeforeAWipeButAnsweredAfterItProvesNothing() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n5")
            .invoke(2, "set-read", "s", null, "n5")
            .wipe("n5", List.of())
            .ok(2, "set-read", "s", List.of("a"), "n5")
            .removed(2, "s", "a", "n5", false)
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).isEmpty();
  }

  /**
   * Seed 3304 reported a resurrection: n3 showed e3 in a read, then another remove on n2 took e3
   * away and reached n3, so n3's own remove found e3 absent; both disks were then wiped, losing
   * n2's remove, and e3 came back from n1. n3's remove had observed nothing: it removed nothing.
   */
  @Test
  void aRemoveThatFoundTheElementGoneAfterAnotherRemoveObservedNothing() {
    HistoryBuilder h = new HistoryBuilder().done(1, "add", "s", "a", "n1");
    h.done(2, "set-read", "s", List.of("a"), "n3");
    long other = h.nextIndex();
    h.removed(3, "s", "a", "n2", true)
        .wipe("n2", List.of(other))
        .removed(2, "s", "a", "n3", false)
        .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void anotherRemoveBetweenTheProofAndTheRemoveVoidsTheProof() {
    HistoryBuilder h = new HistoryBuilder().done(1, "add", "s", "a", "n1");
    h.done(2, "set-read", "s", List.of("a"), "n3");
    long other = h.nextIndex();
    h.done(3, "remove", "s", "a", "n2")
        .wipe("n2", List.of(other))
        .done(2, "remove", "s", "a", "n3")
        .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void anAddInvokedAfterTheRemoveMayBringTheElementBack() {
    HistoryBuilder h =
        new HistoryBuilder()
            .done(1, "add", "s", "a", "n1")
            .done(1, "remove", "s", "a", "n1")
            .done(1, "add", "s", "a", "n1")
            .finalRead("n1", "s", List.of("a"));
    assertThat(kinds(h)).isEmpty();
  }

  @Test
  void aCompletionWithoutInvocationIsRejected() {
    List<SimOp> history = List.of(new SimOp(0, 0, SimOp.Type.OK, 1, "incr", "c", 1L, "n1", null));
    assertThatThrownBy(() -> HistoryChecks.check(history))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: an invocation before it");
  }
}
