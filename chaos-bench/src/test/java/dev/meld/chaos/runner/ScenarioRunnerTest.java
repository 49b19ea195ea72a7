package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.HistoryReader;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.report.Phase;
import dev.meld.chaos.report.ProgressLine;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.scenario.Scenarios;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's phases, records and verdicts, on a cluster in memory. */
class ScenarioRunnerTest {

  @TempDir Path out;

  static final RunSettings FAST =
      RunSettings.defaults().withWorkloadMillis(1_500).withRate(300).withQuiesceLimit(Duration.ofSeconds(5));

  static ProgressLine silent(String name) {
    return new ProgressLine(name, new PrintStream(OutputStream.nullOutputStream()), false, System::nanoTime);
  }

  private ScenarioResult run(FakeCluster cluster, String scenario) throws Exception {
    return new ScenarioRunner(cluster.factory(), FAST, ScenarioRunnerTest::silent)
        .run(Scenarios.named(scenario), 7, out);
  }

  private History history(String scenario) throws Exception {
    return new HistoryReader().read(out.resolve(scenario).resolve("history.jsonl"));
  }

  @Test
  void aCorrectClusterPassesEveryCheckerAndConverges() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    ScenarioResult r = run(cluster, "crash_restart");

    assertThat(r.violations()).isEmpty();
    assertThat(r.valid()).isEqualTo(Validity.TRUE);
    assertThat(r.checks()).containsOnlyKeys("pn-counter", "pn-counter-final", "local-reads", "incarnations");
    assertThat(r.phases()).extracting(Phase::name)
        .containsExactly("start", "warm-up", "faults", "heal", "quiesce", "final-reads");
    assertThat(r.convergence().converged()).isTrue();
    assertThat(r.convergence().finalReads()).containsOnlyKeys("n1", "n2", "n3");
    assertThat(r.faults()).isNotEmpty().allSatisfy(w -> assertThat(w.verified()).isTrue());
    assertThat(r.replicationLag().count()).isPositive();
    assertThat(r.totalOps().ok()).isGreaterThan(100);
    assertThat(cluster.calls).anyMatch(c -> c.startsWith("kill ")).anyMatch(c -> c.startsWith("restart "));
    assertThat(cluster.closed).isTrue();
    for (String file : List.of("history.jsonl", "results.json", "report.html")) {
      assertThat(out.resolve("crash_restart").resolve(file)).isNotEmptyFile();
    }
  }

  @Test
  void everyNodeIsProbedForHealthThenConvergenceAfterEachStep() throws Exception {
    run(new FakeCluster(3, out), "crash_restart");
    History h = history("crash_restart");

    List<Op> steps = h.stream().filter(op -> !op.isClient() && (op.f().equals("kill") || op.f().equals("start")) && !op.isInvoke()).toList();
    List<Op> probes = h.stream().filter(op -> op.f().equals("check-probe")).toList();
    assertThat(probes).hasSameSizeAs(steps).isNotEmpty();
    for (Op probe : probes) {
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> v = (java.util.Map<String, Object>) probe.value();
      assertThat(v.get("after")).isIn("start kill", "stop kill");
      List<Object> nodes = new java.util.ArrayList<>(((java.util.Map<?, ?>) v.get("nodes")).keySet());
      assertThat(nodes).containsExactlyInAnyOrder("n1", "n2", "n3");
      assertThat(v).containsKeys("answered", "converged");
    }
    // Right after a kill the killed node does not answer; after its restart all three do.
    List<Object> answered = probes.stream().map(p -> (Object) ((java.util.Map<?, ?>) p.value()).get("answered")).toList();
    assertThat(answered).contains(2L, 3L);
  }

  @Test
  void theHistoryRecordsEveryClientOpWithItsNodeAndPairsTheNemesisOps() throws Exception {
    run(new FakeCluster(3, out), "crash_restart");
    History h = history("crash_restart");

    List<Op> nemesis = h.stream().filter(op -> !op.isClient()).toList();
    assertThat(nemesis).extracting(Op::f).containsSubsequence("kill", "kill", "start", "start");
    assertThat(nemesis.get(0).isInvoke()).isTrue();
    assertThat(nemesis.get(1).extra("verified")).isEqualTo(true);
    assertThat(h.stream().filter(Op::isClient))
        .allSatisfy(op -> assertThat(op.extra("node")).isIn("n1", "n2", "n3"));
    assertThat(h.stream().filter(op -> op.f().equals("final-read") && op.isOk())).hasSize(3 * 5);
  }

  @Test
  void acknowledgedIncrementsThatVanishAreCaught() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.loseEvery = 5;
    ScenarioResult r = run(cluster, "crash_restart");

    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.checks().get("pn-counter-final").valid()).isEqualTo(Validity.FALSE);
    assertThat(r.violations()).anyMatch(v -> v.startsWith("checker pn-counter-final: invalid"));
  }

  /**
   * Regression: the clients stopped at the planned end of the fault phase, so in combined (whose
   * slow links take seconds to verify) most faults struck a cluster nobody was writing to.
   */
  @Test
  void clientsKeepWritingUntilTheLastFaultHasEnded() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.restartMillis = 2_000;
    run(cluster, "crash_restart");

    History h = history("crash_restart");
    Op lastFault = h.stream().filter(op -> !op.isClient() && op.isInvoke()).reduce((a, b) -> b).orElseThrow();
    assertThat(lastFault.f()).isEqualTo("start");
    assertThat(h.stream().filter(op -> op.isClient() && op.isOk() && op.time() > lastFault.time() + 1_000_000_000L))
        .isNotEmpty();
  }

  @Test
  void aFaultTheClusterCouldNotVerifyFailsTheScenario() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.status = FaultReceipt.Status.FAILED;
    ScenarioResult r = run(cluster, "freeze_thaw");

    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.violations()).anyMatch(v -> v.startsWith("fault pause") && v.contains("did not take effect"));
  }

  @Test
  void aScenarioNeedingAFaultTheClusterCannotInjectIsSkippedWithTheReason() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.unsupported.put(FaultKind.CLOCK_OFFSET, "libfaketime is not installed (apt-get install -y faketime)");
    ScenarioResult r = run(cluster, "clock_bump");

    assertThat(r.wasSkipped()).isTrue();
    assertThat(r.skipped()).contains("clock-bump needs clock-offset").contains("apt-get install -y faketime");
    assertThat(r.valid()).isEqualTo(Validity.UNKNOWN);
    assertThat(cluster.started).isFalse();
    assertThat(out.resolve("clock_bump").resolve("results.json")).isNotEmptyFile();
  }

  @Test
  void aNodeBackFromACrashUnderItsOldIncarnationIsCaught() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.reuseIncarnations = true;
    ScenarioResult r = run(cluster, "crash_restart");

    assertThat(r.checks().get(IncarnationWatch.NAME).valid()).isEqualTo(Validity.FALSE);
    assertThat(r.violations()).anyMatch(v -> v.startsWith("checker incarnations: invalid"));
  }

  @Test
  void aClusterThatDoesNotStartIsAViolationNamingTheReason() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.failStart = true;
    ScenarioResult r = run(cluster, "crash_restart");

    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.checks().get(Verdicts.RUN).toJson()).contains("n2 did not become ready in 60 s");
    assertThat(cluster.closed).isTrue();
  }

  @Test
  void clientsAreStoppedAndReplicationDrainedBeforeAWipe() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    ScenarioResult r =
        new ScenarioRunner(cluster.factory(), FAST.withWorkloadMillis(4_000), ScenarioRunnerTest::silent)
            .run(Scenarios.named("wipe_replace"), 3, out);

    assertThat(r.violations()).isEmpty();
    assertThat(cluster.inFlightAtWipe).isNotEmpty().containsOnly(0);
    History h = history("wipe_replace");
    long wipeAt = h.stream().filter(op -> op.f().equals("wipe")).findFirst().orElseThrow().index();
    // The clients go on after the wipe.
    assertThat(h.stream().filter(op -> op.isClient() && op.index() > wipeAt && op.f().equals("add"))).isNotEmpty();
  }

  @Test
  void membershipChurnJoinsASpareAndItLeaves() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    ScenarioResult r = run(cluster, "membership_churn");

    assertThat(r.violations()).isEmpty();
    assertThat(cluster.calls).contains("join n4", "leave n4");
    assertThat(r.nodes()).contains("n4");
    assertThat(r.faults()).extracting(w -> w.kind()).contains("membership");
  }

  @Test
  void theSameSeedGivesTheSameFaults() throws Exception {
    FakeCluster a = new FakeCluster(5, out.resolve("a"));
    FakeCluster b = new FakeCluster(5, out.resolve("b"));
    new ScenarioRunner(a.factory(), FAST, ScenarioRunnerTest::silent).run(Scenarios.named("combined"), 11, out.resolve("a"));
    new ScenarioRunner(b.factory(), FAST, ScenarioRunnerTest::silent).run(Scenarios.named("combined"), 11, out.resolve("b"));
    assertThat(a.calls).isNotEmpty().isEqualTo(b.calls);
    assertThat(Files.exists(out.resolve("a").resolve("combined").resolve("report.html"))).isTrue();
  }

  @Test
  void aProbeAfterOneLanesStepWaitsForAnotherLanesOpenNemesisOpInsteadOfKillingTheLane() throws Exception {
    // Two lanes restart their nodes at the same moment and a restart takes 400 ms: the first lane's
    // probe falls inside the second lane's restart. Before, the probe was recorded while that op
    // was open, the recorder refused it and the first lane's thread died (its probe, and any later
    // step of that lane, lost).
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.restartMillis = 400;
    dev.meld.chaos.scenario.Scenario s =
        dev.meld.chaos.scenario.ScenarioFile.parse(
                "two_lanes.yaml",
                "name: two_lanes\nworkload: counter\nnodes: 3\nwarm_up: 200ms\nfaults: 1500ms\ntimeline:\n"
                    + "  - at: 0s\n    fault: kill\n    duration: 600ms\n    targets: [n1]\n"
                    + "  - at: 100ms\n    fault: kill\n    duration: 500ms\n    targets: [n2]\n")
            .scenario();
    ScenarioResult r = new ScenarioRunner(cluster.factory(), FAST, ScenarioRunnerTest::silent).run(s, 5, out);

    assertThat(r.violations()).isEmpty();
    assertThat(cluster.calls).contains("kill n1", "kill n2", "restart n1", "restart n2");
    assertThat(r.probes()).extracting(p -> p.after())
        .containsExactlyInAnyOrder("start kill", "start kill", "stop kill", "stop kill");
  }

  @Test
  void eachStepsProbeComesBeforeAnyStepAnotherLaneHadWaitingMeanwhile() throws Exception {
    // Three lanes restart their nodes at nearly the same moment and a restart takes 300 ms, so
    // the other lanes' steps wait while one runs. A step and its probe were two acquisitions of
    // the nemesis lock, and a waiting step could take it in between: on real nodes the probe
    // "after start backup" showed the partition another lane had begun meanwhile.
    dev.meld.chaos.scenario.Scenario s =
        dev.meld.chaos.scenario.ScenarioFile.parse(
                "three_lanes.yaml",
                "name: three_lanes\nworkload: counter\nnodes: 3\nwarm_up: 200ms\nfaults: 1300ms\ntimeline:\n"
                    + "  - at: 0s\n    fault: kill\n    duration: 500ms\n    targets: [n1]\n"
                    + "  - at: 100ms\n    fault: kill\n    duration: 450ms\n    targets: [n2]\n"
                    + "  - at: 200ms\n    fault: kill\n    duration: 400ms\n    targets: [n3]\n")
            .scenario();
    for (int round = 0; round < 4; round++) {
      FakeCluster cluster = new FakeCluster(3, out.resolve("r" + round));
      cluster.restartMillis = 300;
      new ScenarioRunner(cluster.factory(), FAST, ScenarioRunnerTest::silent).run(s, round, out.resolve("r" + round));
      History h = new HistoryReader().read(out.resolve("r" + round).resolve("three_lanes").resolve("history.jsonl"));
      List<Op> nemesis = h.stream().filter(op -> !op.isClient()).toList();
      for (int i = 0; i < nemesis.size(); i++) {
        Op op = nemesis.get(i);
        if (!op.isInvoke() && !op.f().equals("check-probe")) {
          String after = (op.f().equals("kill") ? "start" : "stop") + " kill";
          assertThat(i + 1).as("round %d: no probe after op %d", round, op.index()).isLessThan(nemesis.size());
          Op next = nemesis.get(i + 1);
          assertThat(next.f()).as("round %d: after op %d came %s", round, op.index(), next).isEqualTo("check-probe");
          assertThat(((java.util.Map<?, ?>) next.value()).get("after")).isEqualTo(after);
        }
      }
    }
  }
}
