package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pairing rule of {@link FaultWindows}, case by case. */
class FaultWindowsTest {

  private static final long S = 1_000_000_000L;
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private final List<Op> ops = new ArrayList<>();

  private FaultWindowsTest op(
      double seconds, OpType type, String f, Object value, Map<String, Object> extras) {
    ops.add(new Op(ops.size(), (long) (seconds * S), type, Op.NEMESIS, f, value, extras));
    return this;
  }

  private FaultWindowsTest info(double seconds, String f, Object value) {
    return op(seconds, OpType.INFO, f, value, Map.of());
  }

  private List<FaultWindow> windows() {
    return FaultWindows.of(History.of(ops), NODES);
  }

  /** The worked example in the class comment, line by line. */
  @Test
  void workedExample() {
    op(1, OpType.INVOKE, "kill", List.of("n1"), Map.of());
    op(1.2, OpType.INFO, "kill", List.of("n1"), Map.of());
    info(2, "kill", "n2");
    info(4, "start", "n1");
    info(5, "start-partition", Map.of("n3", List.of("n1", "n2")));
    info(7, "stop-partition", null);

    List<FaultWindow> w = windows();

    assertThat(w).hasSize(3);
    assertThat(w.get(0))
        .extracting(
            FaultWindow::kind,
            FaultWindow::startF,
            FaultWindow::stopF,
            FaultWindow::startNs,
            FaultWindow::endNs,
            FaultWindow::targets)
        .containsExactly("kill", "kill", "start", 1 * S, 4 * S, List.of("n1"));
    assertThat(w.get(1))
        .extracting(
            FaultWindow::kind, FaultWindow::startNs, FaultWindow::endNs, FaultWindow::targets)
        .containsExactly("kill", 2 * S, null, List.of("n2"));
    assertThat(w.get(2))
        .extracting(
            FaultWindow::kind,
            FaultWindow::stopF,
            FaultWindow::startNs,
            FaultWindow::endNs,
            FaultWindow::targets)
        .containsExactly("partition", "stop-partition", 5 * S, 7 * S, NODES);
  }

  @Test
  void shadingRunsFromTheStartInvocationToTheStopCompletion() {
    op(1, OpType.INVOKE, "pause", "n2", Map.of());
    op(1.5, OpType.INFO, "pause", "n2", Map.of());
    op(3, OpType.INVOKE, "resume", "n2", Map.of());
    op(3.25, OpType.INFO, "resume", "n2", Map.of());

    assertThat(windows())
        .singleElement()
        .extracting(FaultWindow::kind, FaultWindow::startNs, FaultWindow::endNs)
        .containsExactly("pause", 1 * S, 3_250_000_000L);
  }

  @Test
  void aStopWithoutTargetsClosesEveryOpenWindowOfItsKindOnly() {
    info(1, "start-partition", Map.of("n1", List.of("n2")));
    info(2, "bump-clock", Map.of("n3", 300));
    info(3, "start-partition", Map.of("n2", List.of("n3")));
    info(4, "stop-partition", null);

    List<FaultWindow> w = windows();

    assertThat(w).extracting(FaultWindow::kind).containsExactly("partition", "clock", "partition");
    assertThat(w).extracting(FaultWindow::endNs).containsExactly(4 * S, null, 4 * S);
  }

  @Test
  void aStopClosesOnlyWindowsSharingATarget() {
    info(1, "kill", "n1");
    info(2, "kill", "n2");
    info(3, "start", List.of("n2", "n3"));

    assertThat(windows()).extracting(FaultWindow::endNs).containsExactly(null, 3 * S);
  }

  @Test
  void aStopWithNothingOpenIsIgnored() {
    info(1, "stop-partition", null);
    info(2, "reset-clock", "n1");

    assertThat(windows()).isEmpty();
  }

  @Test
  void oneOffFaultsSpanTheirOwnOp() {
    op(1, OpType.INVOKE, "strobe-clock", Map.of("node", "n1", "period-ms", 10), Map.of());
    op(3, OpType.INFO, "strobe-clock", null, Map.of());
    info(5, "wipe", "n3");

    List<FaultWindow> w = windows();

    assertThat(w)
        .extracting(FaultWindow::kind, FaultWindow::stopF, FaultWindow::startNs, FaultWindow::endNs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("clock", null, 1 * S, 3 * S),
            org.assertj.core.groups.Tuple.tuple("wipe", null, 5 * S, 5 * S));
    assertThat(w.get(0).targets()).containsExactly("n1");
  }

  @Test
  void checksOfTheNemesisAreNotFaults() {
    info(1, "check-clock-offsets", Map.of("n1", 0.5));

    assertThat(windows()).isEmpty();
  }

  @Test
  void aFailedStartOrAnUnverifiedStopFailsVerification() {
    op(1, OpType.INVOKE, "kill", "n1", Map.of());
    op(1.1, OpType.FAIL, "kill", "n1", Map.of("error", "no such process"));
    info(2, "start", "n1");
    op(3, OpType.INFO, "bump-clock", Map.of("n2", 5000), Map.of("verified", true));
    op(
        4,
        OpType.INFO,
        "reset-clock",
        "n2",
        Map.of("verified", false, "verify-detail", "offset still 5 s"));
    op(5, OpType.INFO, "start-partition", Map.of("n3", List.of("n1")), Map.of("verified", true));
    info(6, "stop-partition", null);
    info(7, "pause", "n3");

    List<FaultWindow> w = windows();

    assertThat(w).extracting(FaultWindow::verified).containsExactly(false, false, true, null);
    assertThat(w.get(0).detail()).isEqualTo("no such process");
    assertThat(w.get(1).detail()).isEqualTo("reset-clock: offset still 5 s");
  }

  @Test
  void aNemesisOpNeverCompletedStillOpensItsWindow() {
    op(1, OpType.INVOKE, "start-partition", Map.of("n1", List.of("n2")), Map.of());

    assertThat(windows())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.endNs()).isNull();
              assertThat(w.verified()).isNull();
              assertThat(w.detail()).isEqualTo("the nemesis op never completed");
            });
  }

  @Test
  void withoutANodeListEveryStringIsATarget() {
    info(1, "kill", List.of("db-2", "db-1"));

    assertThat(FaultWindows.of(History.of(ops), List.of()).get(0).targets())
        .containsExactly("db-1", "db-2");
  }
}
