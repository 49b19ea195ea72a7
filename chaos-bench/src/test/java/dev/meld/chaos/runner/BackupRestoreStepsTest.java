package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.HistoryReader;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.scenario.Scenario;
import dev.meld.chaos.scenario.ScenarioFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore steps carried out by the runner, on a cluster in memory. */
class BackupRestoreStepsTest {

  @TempDir Path out;

  /** n2 backed up, then restored from that copy; the counter workload reads every node. */
  private static final Scenario BACK_AND_FORTH =
      ScenarioFile.parse(
              "back_and_forth.yaml",
              "name: back_and_forth\nworkload: counter\nnodes: 3\nwarm_up: 200ms\nfaults: 1500ms\ntimeline:\n"
                  + "  - at: 100ms\n    fault: backup\n    targets: [n2]\n    name: early\n"
                  + "  - at: 800ms\n    fault: restore\n    targets: [n2]\n    name: early\n")
          .scenario();

  private ScenarioResult run(FakeCluster cluster) throws Exception {
    return new ScenarioRunner(cluster.factory(), ScenarioRunnerTest.FAST, ScenarioRunnerTest::silent)
        .run(BACK_AND_FORTH, 5, out);
  }

  private History history() throws Exception {
    return new HistoryReader().read(out.resolve("back_and_forth").resolve("history.jsonl"));
  }

  @Test
  void aBackupThenARestoreOfItsCopyRunInOrderEachVerifiedAndProbed() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    ScenarioResult r = run(cluster);

    assertThat(r.violations()).isEmpty();
    assertThat(r.valid()).isEqualTo(Validity.TRUE);
    assertThat(cluster.calls).containsExactly("backup n2 early", "restore n2 early");
    History h = history();
    List<Op> completions = h.stream().filter(op -> !op.isClient() && !op.isInvoke() && !op.f().equals("check-probe")).toList();
    assertThat(completions).extracting(Op::f).containsExactly("backup", "restore");
    assertThat(completions).allSatisfy(op -> assertThat(op.extra("verified")).isEqualTo(true));
    assertThat(completions.get(1).value()).isEqualTo(Map.of("nodes", List.of("n2"), "copy", "early"));
    assertThat(r.probes()).extracting(p -> p.after()).containsExactly("start backup", "start restore");
    assertThat(r.faults()).extracting(w -> w.kind()).containsExactly("backup", "restore");
  }

  @Test
  void theClientsArePausedAndReplicationDrainedBeforeARestoreAndTheNodeMustComeBackNew() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    ScenarioResult r = run(cluster);

    assertThat(cluster.inFlightAtRestore).containsExactly(0);
    assertThat(r.checks().get(IncarnationWatch.NAME).valid()).isEqualTo(Validity.TRUE);
    assertThat(r.checks().get(IncarnationWatch.NAME).get("checked-count")).isEqualTo(1);
    long restoreAt = history().stream().filter(op -> op.f().equals("restore")).findFirst().orElseThrow().index();
    assertThat(history().stream().filter(op -> op.isClient() && op.index() > restoreAt && op.f().equals("add"))).isNotEmpty();
  }

  @Test
  void aNodeRestoredUnderItsOldIncarnationIsCaught() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.reuseIncarnations = true;
    ScenarioResult r = run(cluster);

    assertThat(r.checks().get(IncarnationWatch.NAME).valid()).isEqualTo(Validity.FALSE);
    assertThat(r.violations()).anyMatch(v -> v.startsWith("checker incarnations: invalid"));
  }

  @Test
  void aRestoreWhoseBackupFailedFailsTheRunInsteadOfRestoringNothingSilently() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.failBackups = true;
    ScenarioResult r = run(cluster);

    assertThat(r.valid()).isEqualTo(Validity.FALSE);
    assertThat(r.violations()).anyMatch(v -> v.startsWith("fault backup")).anyMatch(v -> v.startsWith("fault restore"));
    assertThat(cluster.inFlightAtRestore).isEmpty();
  }

  @Test
  void aClusterThatCannotCopyNodesSkipsTheScenarioNamingTheStep() throws Exception {
    FakeCluster cluster = new FakeCluster(3, out);
    cluster.unsupported.put(FaultKind.BACKUP, "no copies here");
    ScenarioResult r = run(cluster);

    assertThat(r.wasSkipped()).isTrue();
    assertThat(r.skipped())
        .isEqualTo("backup needs backup: no copies here (step: 0.100 s  lane 0  START backup  targets [n2] copy early)");
    assertThat(cluster.started).isFalse();
  }
}
