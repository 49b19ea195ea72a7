package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.cli.MeldChaos;
import dev.meld.chaos.history.History;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalSummaryTest {

  private static ScenarioResult invalid() {
    return ScenarioResult.builder("set-lost")
        .nodes(List.of("n1", "n2", "n3"))
        .backend("sim")
        .seed(9)
        .faults(
            List.of(
                new FaultWindow(
                    "kill",
                    "kill",
                    "start",
                    3,
                    1_000_000_000L,
                    2_000_000_000L,
                    List.of("n1"),
                    "n1",
                    false,
                    "still running")))
        .check(
            "set", CheckResult.of(Validity.FALSE, Map.of("lost-count", 2L, "lost", List.of(1, 2))))
        .check("counter", CheckResult.of(Validity.TRUE, Map.of()))
        .convergence(
            new Convergence(
                2_000_000_000L,
                null,
                SyntheticRun.ordered("n1", "a", "n2", "b"),
                SyntheticRun.ordered("n1", 1, "n2", 1)))
        .build();
  }

  @Test
  void aValidScenarioReadsAsATable() {
    History h = SyntheticRun.history(42, 10, 3000, 20);
    ScenarioResult r = SyntheticRun.result("counter-mixed-faults", h, 20);

    String s = TerminalSummary.render(List.of(r), false);

    assertThat(s.lines().toList())
        .startsWith(
            "== counter-mixed-faults ================================================== VALID",
            "  nodes        5: n1 n2 n3 n4 n5   backend local   seed 42")
        .contains(
            "  faults       4: partition, kill, pause, clock (all verified)",
            "  checkers     counter VALID",
            "  convergence  1.83 s after heal; root digests equal; final reads equal",
            "  repl. lag    p50 7.00 ms, p95 40.0 ms, p99 40.0 ms (4 samples)",
            "suite: 1 scenario: 1 valid, 0 invalid, 0 unknown, 0 skipped -> VALID (exit 0)");
    assertThat(s.lines().filter(l -> l.startsWith("  ops ")).findFirst().orElseThrow())
        .matches("  ops          [0-9,]+: [0-9,]+ ok, [0-9,]+ fail, [0-9,]+ info");
    assertThat(s.lines().filter(l -> l.startsWith("== ")).findFirst().orElseThrow()).hasSize(80);
  }

  @Test
  void violationsAndTheSuiteVerdictAreSpelledOut() {
    String s =
        TerminalSummary.render(
            List.of(invalid(), ScenarioResult.skipped("docker-kill", "docker is not available")),
            false);

    assertThat(s.lines().toList())
        .contains(
            "  faults       1: kill (1 NOT VERIFIED)",
            "  checkers     set INVALID (lost-count 2), counter VALID",
            "  convergence  NOT converged; root digests DIFFER; final reads equal",
            "  violations   checker set: invalid (lost-count 2)",
            "               fault kill (kill n1) at 1.0 s: did not take effect: still running",
            "               convergence: the nodes were never seen to converge after the heal",
            "  skipped      docker is not available",
            "suite: 2 scenarios: 0 valid, 1 invalid, 0 unknown, 1 skipped -> INVALID (exit 1)");
    assertThat(s).doesNotContain("\u001b");
  }

  @Test
  void colourOnlyWhenAsked() {
    String s = TerminalSummary.render(List.of(invalid()), true);

    assertThat(s).contains("\u001b[1;31mINVALID\u001b[0m").contains("\u001b[1;32mVALID\u001b[0m");
  }

  @Test
  void controlCharactersInNamesAreNotSentToTheTerminal() {
    String s =
        TerminalSummary.render(
            List.of(ScenarioResult.skipped("x\u001b]0;pwned\u0007", "a\nb")), false);

    assertThat(s)
        .doesNotContain("\u001b")
        .doesNotContain("\u0007")
        .contains("== x?]0;pwned? ")
        .contains("a?b");
  }

  @Test
  void exitCodesMatchTheCheckCommand() {
    ScenarioResult valid =
        ScenarioResult.builder("v").check("c", CheckResult.of(Validity.TRUE, Map.of())).build();
    ScenarioResult unknown =
        ScenarioResult.builder("u").check("c", CheckResult.of(Validity.UNKNOWN, Map.of())).build();
    ScenarioResult skipped = ScenarioResult.skipped("s", "no docker");

    assertThat(SuiteVerdict.VALID).isEqualTo(MeldChaos.VALID);
    assertThat(SuiteVerdict.INVALID).isEqualTo(MeldChaos.INVALID);
    assertThat(SuiteVerdict.UNKNOWN).isEqualTo(MeldChaos.UNKNOWN);
    assertThat(SuiteVerdict.exitCode(List.of(valid))).isEqualTo(0);
    assertThat(SuiteVerdict.exitCode(List.of(valid, skipped))).isEqualTo(0);
    assertThat(SuiteVerdict.exitCode(List.of(valid, unknown))).isEqualTo(3);
    assertThat(SuiteVerdict.exitCode(List.of(skipped))).isEqualTo(3);
    assertThat(SuiteVerdict.exitCode(List.of())).isEqualTo(3);
    assertThat(SuiteVerdict.exitCode(List.of(valid, unknown, skipped, invalid()))).isEqualTo(1);
  }
}
