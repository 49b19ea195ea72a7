package dev.meld.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.runner.RunSettings;
import dev.meld.chaos.scenario.Scenario;
import dev.meld.chaos.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sim backend: every scenario on a correct simulated cluster, and one seed is one run. */
class SimRunnerTest {

  @TempDir Path out;

  private final SimRunner runner = new SimRunner(RunSettings.defaults(), List.of(), b -> b, true);

  @Test
  void everyScenarioPassesOnACorrectSimulatedCluster() throws Exception {
    for (Scenario s : Scenarios.all()) {
      if (runner.unsupported(runner.simulated(s)).isPresent()) {
        continue; // big_set: aBigPrefillIsSkippedSayingWhyAndASweepSaysSoOnce
      }
      ScenarioResult r = runner.run(s, 1, out);
      assertThat(r.violations()).as(s.name()).isEmpty();
      assertThat(r.valid()).as(s.name()).isEqualTo(Validity.TRUE);
      assertThat(r.backend()).isEqualTo("sim");
      assertThat(r.faults()).as(s.name()).isNotEmpty();
      assertThat(r.convergence().converged()).as(s.name()).isTrue();
      assertThat(r.totalOps().ok()).as(s.name()).isGreaterThan(100);
      assertThat(out.resolve(s.name()).resolve("report.html")).isNotEmptyFile();
    }
  }

  @Test
  void theSameSeedGivesTheSameHistoryOpForOp() throws Exception {
    for (String name : List.of("combined", "partition_no_resurrect", "membership_churn")) {
      runner.run(Scenarios.named(name), 42, out.resolve("a"));
      runner.run(Scenarios.named(name), 42, out.resolve("b"));
      runner.run(Scenarios.named(name), 43, out.resolve("c"));
      String a = Files.readString(out.resolve("a").resolve(name).resolve("history.jsonl"));
      String b = Files.readString(out.resolve("b").resolve(name).resolve("history.jsonl"));
      String c = Files.readString(out.resolve("c").resolve(name).resolve("history.jsonl"));
      assertThat(a).as(name).isNotEmpty().isEqualTo(b).isNotEqualTo(c);
    }
  }

  @Test
  void theSimulatorRunsTheRealNodePlanAtAQuarterOfItsDurations() {
    Scenario real = Scenarios.named("crash_restart");
    Scenario sim = runner.simulated(real);
    assertThat(sim.warmUpMillis()).isEqualTo(real.warmUpMillis() / 4);
    assertThat(sim.faultMillis()).isEqualTo(real.faultMillis() / 4);
    assertThat(sim.lanes().get(0).faultMillis()).isEqualTo(real.lanes().get(0).faultMillis() / 4);
  }

  @Test
  void aScenarioWithBackupStepsIsSkippedNamingTheStepSinceTheSimulatorKeepsNoCopies() throws Exception {
    Scenario s =
        dev.meld.chaos.scenario.ScenarioFile.parse(
                "b.yaml",
                "name: b\nworkload: set\nnodes: 3\nfaults: 8s\ntimeline:\n"
                    + "  - at: 1s\n    fault: backup\n    targets: [n2]\n"
                    + "  - at: 4s\n    fault: restore\n    targets: [n2]\n")
            .scenario();
    ScenarioResult r = runner.run(s, 1, out);

    assertThat(r.wasSkipped()).isTrue();
    assertThat(r.valid()).isEqualTo(Validity.UNKNOWN);
    assertThat(r.skipped())
        .startsWith("backup needs backup: the simulator keeps no copies of a node's store to put back")
        .endsWith("(step: 0.250 s  lane 0  START backup  targets [n2] copy latest)");
    assertThat(out.resolve("b").resolve("results.json")).isNotEmptyFile();
  }

  @Test
  void aSweepWritesOnlyTheRunsThatAreNotValid() throws Exception {
    SimRunner quiet = new SimRunner(RunSettings.defaults(), List.of(), b -> b, false);
    java.io.StringWriter text = new java.io.StringWriter();
    SimSweep.Outcome o =
        SimSweep.run(List.of(Scenarios.named("freeze_thaw")), quiet, 1, 4, 2, out, new java.io.PrintWriter(text), false);
    assertThat(o.runs()).isEqualTo(4);
    assertThat(o.valid()).isEqualTo(4);
    assertThat(o.exitCode()).isZero();
    assertThat(text.toString()).contains("sim freeze_thaw", "seeds 1..4: 4 valid, 0 not valid");
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aBigPrefillIsSkippedSayingWhyAndASweepSaysSoOnce() throws Exception {
    ScenarioResult r = runner.run(Scenarios.named("big_set"), 1, out);
    assertThat(r.wasSkipped()).isTrue();
    assertThat(r.skipped())
        .startsWith("a pre-fill of 100000 members (expected: at most 2000 on the simulator, whose clients add one"
            + " member per request")
        .endsWith("run the scenario with --backend local)");

    SimRunner quiet = new SimRunner(RunSettings.defaults(), List.of(), b -> b, false);
    java.io.StringWriter text = new java.io.StringWriter();
    SimSweep.Outcome o =
        SimSweep.run(
            List.of(Scenarios.named("big_set"), Scenarios.named("freeze_thaw")),
            quiet, 1, 2, 2, out.resolve("sweep"), new java.io.PrintWriter(text), false);
    assertThat(o.runs()).isEqualTo(2);
    assertThat(o.skipped()).singleElement().asString().startsWith("big_set: a pre-fill of 100000 members");
    assertThat(o.exitCode()).as("skipped beside valid runs do not count").isZero();
    assertThat(text.toString()).contains("sim big_set", "SKIPPED: a pre-fill of 100000 members")
        .contains("sim sweep: 2 runs, 2 valid, 0 not valid, 1 scenario(s) skipped");
    SimSweep.Outcome none =
        SimSweep.run(List.of(Scenarios.named("big_set")), quiet, 1, 2, 2, out.resolve("none"),
            new java.io.PrintWriter(new java.io.StringWriter()), false);
    assertThat(none.exitCode()).as("nothing ran").isEqualTo(3);
  }

  @Test
  void aSmallPrefillRunsOnTheSimulatorThroughItsOneMemberAdds() throws Exception {
    Scenario s =
        dev.meld.chaos.scenario.ScenarioFile.parse(
                "p.yaml",
                "name: p\nworkload: set-removes\nnodes: 3\nprefill:\n  members: 2000\nfaults: 8s\ntimeline:\n"
                    + "  - at: 1s\n    fault: partition-halves\n    duration: 2s\n"
                    + "  - at: 4s\n    fault: wipe\n")
            .scenario();
    ScenarioResult r = runner.run(s, 3, out);

    assertThat(r.violations()).isEmpty();
    assertThat(r.valid()).isEqualTo(Validity.TRUE);
    assertThat(r.phases().get(1).name()).isEqualTo("prefill");
    assertThat(r.checks()).containsKeys("set-removes", "set-full-kept");
    assertThat(r.convergence().converged()).isTrue();
    String history = Files.readString(out.resolve("p").resolve("history.jsonl"));
    assertThat(history).contains("\"f\":\"check-prefill\"").contains("\"complete\":true");
    assertThat(history.lines().filter(l -> l.contains("\"add-all\"") && l.contains("\"type\":\"ok\""))).hasSize(2);
  }
}
