package dev.meld.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backup and restore steps in scenario files: what they plan, and every way to get them wrong. */
class ScenarioFileBackupTest {

  private static final String HEAD =
      "name: t\n"                  // 1
          + "workload: counter\n"  // 2
          + "nodes: 3\n"           // 3
          + "faults: 10s\n"        // 4
          + "timeline:\n";         // 5

  private static void fails(String timeline, int line, String field, String contains) {
    assertThatThrownBy(() -> ScenarioFile.parse("f.yaml", HEAD + timeline))
        .isInstanceOfSatisfying(
            ScenarioFileException.class,
            e -> {
              assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
              assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            })
        .hasMessageContaining(contains);
  }

  private static Scenario parses(String timeline) {
    return ScenarioFile.parse("f.yaml", HEAD + timeline).scenario();
  }

  @Test
  void theReadmeExampleBacksUpThenRestoresTheNamedCopy() throws Exception {
    ScenarioFile.Loaded f = ScenarioFile.read(Path.of("examples/backup_restore.yaml"));
    Aim n2 = Aim.copy(List.of("n2"), "before-partition");

    assertThat(f.scenario().timeline())
        .containsExactly(
            new Step(0, 0, "backup", Step.Action.START, n2),
            new Step(8_000, 1, "partition-halves", Step.Action.START, Aim.sides(List.of(List.of("n2"), List.of("n1", "n3")))),
            new Step(12_000, 1, "partition-halves", Step.Action.STOP, Aim.sides(List.of(List.of("n2"), List.of("n1", "n3")))),
            new Step(15_000, 2, "restore", Step.Action.START, n2));
    assertThat(f.criteria().stream().map(Criterion::toString))
        .containsExactly("lost = 0", "convergence_after_heal <= 5000ms");
    assertThat(f.scenario().timeline().get(3).toString()).endsWith("START restore  targets [n2] copy before-partition");
  }

  @Test
  void withoutANameTheCopyIsLatestAndARestoreMayNameSeveralNodes() {
    Scenario s =
        parses(
            "  - at: 1s\n    fault: backup\n    targets: [n1, n2]\n"
                + "  - at: 5s\n    fault: restore\n    targets: [n2, n1]\n");
    assertThat(s.timeline()).extracting(Step::aim)
        .containsExactly(Aim.copy(List.of("n1", "n2"), "latest"), Aim.copy(List.of("n2", "n1"), "latest"));
  }

  @Test
  void aRestoreWithoutAnEarlierBackupOfItsNodeIsReportedAtTheNodesLine() {
    fails(
        "  - at: 1s\n"              // 6
            + "    fault: restore\n"  // 7
            + "    targets: [n2]\n",  // 8
        8,
        "timeline[0].targets",
        "\"n2\" (expected: a node an earlier backup step copied; no backup of n2 before 1000ms)");
    // A backup of another node, or of n2 but later in the phase, does not count.
    fails(
        "  - at: 1s\n    fault: backup\n    targets: [n1]\n"   // 6-8
            + "  - at: 2s\n"                                     // 9
            + "    fault: restore\n"                             // 10
            + "    targets:\n"                                   // 11
            + "      - n1\n"                                     // 12
            + "      - n2\n"                                     // 13
            + "  - at: 3s\n    fault: backup\n    targets: [n2]\n",
        13,
        "timeline[1].targets",
        "no backup of n2 before 2000ms");
  }

  @Test
  void aBackupAtTheSameTimeDoesNotComeBeforeTheRestore() {
    fails(
        "  - at: 2s\n    fault: restore\n    targets: n3\n"   // 6-8
            + "  - at: 2s\n    fault: backup\n    targets: n3\n",
        8,
        "timeline[0].targets",
        "no backup of n3 before 2000ms");
  }

  @Test
  void aRestoreOfACopyNeverTakenIsReportedAtItsNameNamingTheCopiesThereAre() {
    fails(
        "  - at: 1s\n    fault: backup\n    targets: [n2]\n    name: nightly\n"  // 6-9
            + "  - at: 2s\n    fault: backup\n    targets: [n2]\n"               // 10-12
            + "  - at: 5s\n"                                                     // 13
            + "    fault: restore\n"                                             // 14
            + "    targets: [n2]\n"                                              // 15
            + "    name: weekly\n",                                              // 16
        16,
        "timeline[2].name",
        "\"weekly\" (expected: the name of a copy of n2 an earlier backup step took: nightly, latest)");
    // Without a name the restore wants "latest", said so at the step's line.
    fails(
        "  - at: 1s\n    fault: backup\n    targets: [n2]\n    name: nightly\n"  // 6-9
            + "  - at: 5s\n"                                                     // 10
            + "    fault: restore\n"                                             // 11
            + "    targets: [n2]\n",                                             // 12
        10,
        "timeline[1].name",
        "none, so \"latest\" (expected: the name of a copy of n2 an earlier backup step took: nightly)");
  }

  @Test
  void copyStepsNeedTargetsTakeNoDurationAndRestoreFewerThanAllNodes() {
    fails("  - at: 1s\n    fault: backup\n", 6, "timeline[0].targets",
        "missing (expected: targets: the nodes to back up, e.g. [n2])");
    fails("  - at: 1s\n    fault: restore\n    sides: [[n1], [n2]]\n", 8, "timeline[0].sides",
        "given (expected: targets: the nodes to restore, e.g. [n2])");
    fails("  - at: 1s\n    fault: backup\n    targets: [n2]\n    duration: 2s\n", 9, "timeline[0].duration",
        "(expected: none: backup is a one-off with no stop)");
    fails("  - at: 1s\n    fault: backup\n    targets: [n4]\n", 8, "timeline[0].targets",
        "\"n4\" (expected: a node of this scenario, n1..n3)");
    fails(
        "  - at: 1s\n    fault: backup\n    targets: [n1, n2, n3]\n"
            + "  - at: 2s\n    fault: restore\n    targets: [n1, n2, n3]\n",
        11,
        "timeline[1].targets",
        "[n1, n2, n3] (expected: fewer than all 3 nodes: a node that is not restored must keep the writes its copy lacks)");
  }

  @Test
  void onlyCopyStepsTakeANameAndItMustNameADirectory() {
    fails("  - at: 1s\n    fault: kill\n    duration: 1s\n    name: x\n", 9, "timeline[0].name",
        "\"x\" (expected: none: only backup and restore steps name a copy)");
    fails("  - at: 1s\n    fault: backup\n    targets: [n1]\n    name: ../n2\n", 9, "timeline[0].name",
        "\"../n2\" (expected: a copy name, 1-64 of A-Z a-z 0-9 . _ -, not starting with a dot)");
    fails("  - at: 1s\n    fault: backup\n    targets: [n1]\n    name: [a]\n", 9, "timeline[0].name",
        "[\"a\"] (expected: a copy name");
  }

  @Test
  void aLaneCannotPickABackupOrARestore() {
    assertThatThrownBy(
            () -> ScenarioFile.parse(
                "f.yaml",
                "name: t\nworkload: counter\nnodes: 3\nfaults: 4s\nlanes:\n"
                    + "  - nemeses: [kill, backup]\n    fault: 1s\n    calm: 1s\n"))
        .isInstanceOfSatisfying(
            ScenarioFileException.class,
            e -> {
              assertThat(e.line()).isEqualTo(6);
              assertThat(e.field()).isEqualTo("lanes[0].nemeses[1]");
            })
        .hasMessageContaining("\"backup\" (expected: a nemesis a lane may pick at random; backup is a timeline step with targets)");
  }
}
