package dev.meld.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario files: the built-in ones reproduce the former Java definitions; bad files say where. */
class ScenarioFileTest {

  @Test
  void builtInFilesReproduceTheScenariosFormerlyWrittenInJavaAndTheirPlans() {
    // big_set came after the Java definitions, as a file only (ScenarioFilePrefillTest).
    assertThat(Scenarios.all().stream().map(Scenario::name).filter(n -> !n.equals("big_set")).toList())
        .containsExactlyElementsOf(ScenariosAsCode.SCENARIOS.keySet());
    for (Scenario before : ScenariosAsCode.SCENARIOS.values()) {
      Scenario now = Scenarios.named(before.name());
      assertThat(now).isEqualTo(before);
      for (long seed = 1; seed <= 50; seed++) {
        assertThat(now.schedule(seed)).isEqualTo(before.schedule(seed));
        assertThat(now.withWorkloadMillis(8_000).scaled(0.25).schedule(seed))
            .isEqualTo(before.withWorkloadMillis(8_000).scaled(0.25).schedule(seed));
      }
    }
  }

  @Test
  void theReadmeExampleParsesWithItsCriteria() throws Exception {
    ScenarioFile.Loaded f = ScenarioFile.read(Path.of("examples/partition_minority.yaml"));
    assertThat(f.scenario().name()).isEqualTo("partition_minority");
    assertThat(f.scenario().nodes()).isEqualTo(3);
    assertThat(f.scenario().workloadMillis()).isEqualTo(12_000);
    assertThat(f.scenario().lanes()).containsExactly(new Lane(List.of("partition-one", "pause"), 1_000, 3_000, 2_000));
    assertThat(f.rate()).isEqualTo(40.0);
    assertThat(f.criteria().stream().map(Criterion::toString))
        .containsExactly("lost = 0", "convergence_after_heal <= 5000ms", "availability >= 0.99", "p99_latency <= 200ms");
  }

  private static final String GOOD =
      "name: t\n"               // 1
          + "workload: counter\n" // 2
          + "nodes: 3\n"          // 3
          + "faults: 4s\n"        // 4
          + "lanes:\n"            // 5
          + "  - nemeses: [kill]\n" // 6
          + "    fault: 1s\n"     // 7
          + "    calm: 1s\n"      // 8
          + "  - nemeses: [pause, partition-one]\n" // 9
          + "    fault: 1s\n"     // 10
          + "    calm: 1s\n";     // 11

  private static void fails(String text, int line, String field, String contains) {
    assertThatThrownBy(() -> ScenarioFile.parse("f.yaml", text))
        .isInstanceOfSatisfying(
            ScenarioFileException.class,
            e -> {
              assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
              assertThat(e.field()).isEqualTo(field);
            })
        .hasMessageStartingWith("f.yaml:" + line + ": " + field + ": ")
        .hasMessageContaining(contains);
  }

  @Test
  void aGoodFileParses() {
    assertThat(ScenarioFile.parse("f.yaml", GOOD).scenario().lanes()).hasSize(2);
  }

  @Test
  void anUnknownNemesisIsReportedAtItsLineAndField() {
    fails(GOOD.replace("[pause, partition-one]", "[pause, partition-sideways]"), 9, "lanes[1].nemeses[1]",
        "nemesis: \"partition-sideways\" (expected: one of kill");
  }

  @Test
  void aBadDurationIsReportedAtItsLine() {
    fails(GOOD.replace("    calm: 1s\n  -", "    calm: soon\n  -"), 8, "lanes[0].calm",
        "\"soon\" (expected: a duration such as 500ms, 2s or 1m)");
  }

  @Test
  void anUnknownFieldIsReportedAtItsLine() {
    fails(GOOD.replace("nodes: 3\n", "nodes: 3\nnodez: 4\n"), 4, "nodez", "unknown field (expected: one of");
    fails(GOOD.replace("    fault: 1s\n    calm: 1s\n  -", "    fault: 1s\n    calm: 1s\n    jitter: 2s\n  -"), 9,
        "lanes[0].jitter", "unknown field");
  }

  @Test
  void aMissingFieldIsReportedAtItsParent() {
    fails(GOOD.replace("workload: counter\n", ""), 1, "workload", "missing (expected: a string)");
  }

  @Test
  void outOfRangeValuesNameTheExpectation() {
    fails(GOOD.replace("nodes: 3", "nodes: 40"), 3, "nodes", "40 (expected: an integer in 1..16)");
    fails(GOOD.replace("workload: counter", "workload: queue"), 2, "workload", "queue");
  }

  @Test
  void badCriteriaAreReportedAtTheirLine() {
    fails(GOOD + "criteria:\n  p99_latency: \"<= 200\"\n", 13, "criteria.p99_latency", "a time with a unit");
    fails(GOOD + "criteria:\n  lost: \"about none\"\n", 13, "criteria.lost", "(expected: a comparison and a number");
    fails(GOOD + "criteria:\n  throughput: \">= 5\"\n", 13, "criteria.throughput", "unknown criterion");
    fails(GOOD + "criteria:\n  availability: \">= 2\"\n", 13, "criteria.availability", "a share in 0..1");
  }

  @Test
  void aYamlSyntaxErrorNamesItsLine() {
    assertThatThrownBy(() -> ScenarioFile.parse("f.yaml", GOOD + "  - nemeses: [kill\n"))
        .isInstanceOf(ScenarioFileException.class)
        .hasMessageStartingWith("f.yaml:")
        .hasMessageContaining("(syntax)");
  }

  @Test
  void aTimelinePlansItsStepsAtTheTimesWrittenWithoutJitterBesideTheLanes() {
    String text = GOOD.replace("faults: 4s", "faults: 10s")
        + "timeline:\n"                // 12
        + "  - at: 6s\n"               // 13
        + "    fault: partition-halves\n"
        + "    duration: 2s\n"
        + "  - at: 9s\n"
        + "    fault: wipe\n";
    Scenario s = ScenarioFile.parse("f.yaml", text).scenario();
    for (long seed = 1; seed <= 20; seed++) {
      Schedule plan = s.schedule(seed);
      assertThat(plan.lanes()).isEqualTo(4);
      assertThat(plan.lane(2)).containsExactly(
          new Step(6_000, 2, "partition-halves", Step.Action.START),
          new Step(8_000, 2, "partition-halves", Step.Action.STOP));
      assertThat(plan.lane(3)).containsExactly(new Step(9_000, 3, "wipe", Step.Action.START));
      Scenario lanesOnly = ScenarioFile.parse("f.yaml", GOOD.replace("faults: 4s", "faults: 10s")).scenario();
      assertThat(plan.lane(0)).isEqualTo(lanesOnly.schedule(seed).lane(0));
    }
    assertThat(s.nemeses()).contains("partition-halves", "wipe");
  }

  @Test
  void badTimelineStepsAreReportedAtTheirLine() {
    String base = GOOD + "timeline:\n  - at: 1s\n    fault: %s\n";
    fails(String.format(base, "kill"), 13, "timeline[0].duration", "missing (expected: a duration");
    fails(String.format(base, "wipe") + "    duration: 2s\n", 15, "timeline[0].duration", "one-off");
    fails(String.format(base, "kill").replace("at: 1s", "at: 9s") + "    duration: 1s\n", 13, "timeline[0].at",
        "within the fault phase");
  }

  @Test
  void criteriaCompareAsWritten() {
    assertThat(Criterion.parse("lost", "= 0").holds(0)).isTrue();
    assertThat(Criterion.parse("lost", "= 0").holds(1)).isFalse();
    assertThat(Criterion.parse("convergence_after_heal", "<= 5s").holds(5_000)).isTrue();
    assertThat(Criterion.parse("convergence_after_heal", "<= 5s").holds(5_001)).isFalse();
    assertThat(Criterion.parse("availability", ">= 0.99").holds(0.995)).isTrue();
    assertThat(Criterion.parse("p99_latency", "< 200ms").holds(200)).isFalse();
  }

  private static final String AIMED =
      GOOD.replace("faults: 4s", "faults: 10s")
          + "timeline:\n"                          // 12
          + "  - at: 2s\n"                         // 13
          + "    fault: kill\n"                    // 14
          + "    duration: 1s\n"                   // 15
          + "    targets: [n1, n3]\n"              // 16
          + "  - at: 5s\n"                         // 17
          + "    fault: partition-halves\n"        // 18
          + "    duration: 2s\n"                   // 19
          + "    sides:\n"                         // 20
          + "      - [n1]\n"                       // 21
          + "      - [n2, n3]\n"                   // 22
          + "  - at: 8s\n"                         // 23
          + "    fault: wipe\n"                    // 24
          + "    targets: n2\n";                   // 25

  @Test
  void timelineStepsCarryTheNodesTheyNameIntoThePlan() {
    Scenario s = ScenarioFile.parse("f.yaml", AIMED).scenario();
    Aim killed = Aim.targets(List.of("n1", "n3"));
    Aim cut = Aim.sides(List.of(List.of("n1"), List.of("n2", "n3")));
    for (long seed = 1; seed <= 5; seed++) {
      Schedule plan = s.schedule(seed);
      assertThat(plan.lane(2)).containsExactly(
          new Step(2_000, 2, "kill", Step.Action.START, killed), new Step(3_000, 2, "kill", Step.Action.STOP, killed));
      assertThat(plan.lane(3)).containsExactly(
          new Step(5_000, 3, "partition-halves", Step.Action.START, cut),
          new Step(7_000, 3, "partition-halves", Step.Action.STOP, cut));
      assertThat(plan.lane(4)).containsExactly(new Step(8_000, 4, "wipe", Step.Action.START, Aim.targets(List.of("n2"))));
      assertThat(plan.lane(0)).allMatch(st -> st.aim().none());
    }
    assertThat(s.scaled(0.5).schedule(1).lane(2).get(0).aim()).isEqualTo(killed);
  }

  @Test
  void anUnknownNodeNameIsReportedAtItsLineAndField() {
    fails(AIMED.replace("[n1, n3]", "[n1, n7]"), 16, "timeline[0].targets",
        "\"n7\" (expected: a node of this scenario, n1..n3)");
    fails(AIMED.replace("      - [n2, n3]", "      - [n2, db1]"), 22, "timeline[1].sides",
        "\"db1\" (expected: a node of this scenario, n1..n3)");
    fails(AIMED.replace("targets: n2", "targets: n0"), 25, "timeline[2].targets", "\"n0\"");
  }

  @Test
  void targetsThatDoNotFitTheNemesisNameTheExpectation() {
    fails(AIMED.replace("[n1, n3]", "[n1, n1]"), 16, "timeline[0].targets", "(expected: each node once)");
    fails(AIMED.replace("fault: wipe", "fault: slow").replace("targets: n2", "targets: [n1, n2]")
        .replace("  - at: 8s\n    fault: slow\n", "  - at: 8s\n    fault: slow\n    duration: 1s\n"), 26,
        "timeline[2].targets", "(expected: at most 1 node(s) for slow)");
    fails(AIMED.replace("fault: partition-halves", "fault: partition-bridge"), 20, "timeline[1].sides",
        "(expected: no targets: it picks its own shape");
    fails(AIMED.replace("fault: kill", "fault: kill-minority"), 16, "timeline[0].targets",
        "(expected: at most 1 node(s), a minority of 3)");
    fails(AIMED.replace("    sides:\n      - [n1]\n      - [n2, n3]\n", "    sides: [[n1, n2, n3]]\n"), 20,
        "timeline[1].sides", "(expected: two or more non-empty lists of nodes)");
    fails(AIMED.replace("targets: [n1, n3]", "targets: [n1]\n    sides: [[n1], [n2]]"), 17, "timeline[0].sides",
        "not both");
  }
}
