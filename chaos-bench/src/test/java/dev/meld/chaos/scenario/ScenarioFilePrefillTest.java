package dev.meld.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.workload.Prefill;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code prefill} of scenario files, and the built-in {@code big_set} that uses it. */
class ScenarioFilePrefillTest {

  private static final String FILE =
      "name: t\n"                          // 1
          + "workload: set-removes\n"      // 2
          + "nodes: 3\n"                   // 3
          + "prefill:\n"                   // 4
          + "  members: 2000\n"            // 5
          + "  sets: 2\n"                  // 6
          + "faults: 4s\n"                 // 7
          + "lanes:\n"                     // 8
          + "  - nemeses: [kill]\n"        // 9
          + "    fault: 1s\n"              // 10
          + "    calm: 1s\n";              // 11

  private static void fails(String text, int line, String field, String message) {
    assertThatThrownBy(() -> ScenarioFile.parse("f.yaml", text))
        .isInstanceOfSatisfying(
            ScenarioFileException.class,
            e -> {
              assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
              assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            })
        .hasMessage("f.yaml:" + line + ": " + field + ": " + message);
  }

  @Test
  void aPrefillIsReadAndKeptWhateverTheRunResizes() {
    Scenario s = ScenarioFile.parse("f.yaml", FILE).scenario();
    assertThat(s.prefill()).isEqualTo(new Prefill(2_000, 2));
    assertThat(s.withWorkloadMillis(3_000).prefill()).isEqualTo(s.prefill());
    assertThat(s.withNodes(5).prefill()).isEqualTo(s.prefill());
    assertThat(s.scaled(0.25).prefill()).as("a size, not a duration").isEqualTo(s.prefill());
    Scenario one = ScenarioFile.parse("f.yaml", FILE.replace("  sets: 2\n", "")).scenario();
    assertThat(one.prefill()).isEqualTo(new Prefill(2_000, 1));
    assertThat(ScenarioFile.parse("f.yaml", FILE.replace("prefill:\n  members: 2000\n  sets: 2\n", ""))
        .scenario().prefill()).isNull();
  }

  @Test
  void aBadPrefillIsReportedAtItsLineAndField() {
    fails(FILE.replace("set-removes", "counter"), 4, "prefill",
        "2000 members (expected: none for workload counter: only set and set-removes have sets to pre-fill)");
    fails(FILE.replace("sets: 2", "sets: 4"), 6, "prefill.sets",
        "4 (expected: at most the workload's 3 sets)");
    fails(FILE.replace("members: 2000", "members: 0"), 5, "prefill.members",
        "0 (expected: an integer in 1..10000000)");
    fails(FILE.replace("members: 2000", "members: lots"), 5, "prefill.members",
        "\"lots\" (expected: an integer in 1..10000000)");
    fails(FILE.replace("  members: 2000\n", ""), 4, "prefill.members",
        "missing (expected: an integer in 1..10000000)");
    fails(FILE.replace("  sets: 2\n", "  chunk: 10\n"), 6, "prefill.chunk",
        "unknown field (expected: one of members, sets)");
    fails(FILE.replace("prefill:\n  members: 2000\n  sets: 2\n", "prefill: 2000\n"), 4, "prefill",
        "2000 (expected: a mapping with members and optionally sets)");
  }

  @Test
  void bigSetPrefillsAHundredThousandMembersThenPartitionsKillsAndWipesJudgedByItsCriteria() {
    Scenario s = Scenarios.named("big_set");
    assertThat(s.workload()).isEqualTo("set-removes");
    assertThat(s.nodes()).isEqualTo(3);
    assertThat(s.prefill()).isEqualTo(new Prefill(100_000, 1));
    assertThat(s.prefill().members()).isGreaterThanOrEqualTo(100_000);
    assertThat(s.lanes()).isEmpty();
    assertThat(s.timeline())
        .extracting(st -> st.atMillis() + " " + st.nemesis() + " " + st.action())
        .containsExactly(
            "1000 partition-random-halves START",
            "7000 partition-random-halves STOP",
            "11000 kill START",
            "15000 kill STOP",
            "20000 wipe START",
            "30000 partition-one START",
            "35000 partition-one STOP");
    assertThat(s.faultMillis()).as("5 s after the last heal before the quiesce").isEqualTo(40_000);
    assertThat(Scenarios.criteria("big_set").stream().map(Criterion::toString))
        .containsExactly("lost = 0", "convergence_after_heal <= 30000ms");
  }

  @Test
  void bigSetRunsByNameAndInTheDefaultSuiteButNotInTheSmokeSet() {
    assertThat(Scenarios.select(List.of("big_set"))).extracting(Scenario::name).containsExactly("big_set");
    assertThat(Scenarios.suite("all")).contains("big_set");
    assertThat(Scenarios.suite("default")).endsWith("big_set").hasSameSizeAs(Scenarios.all());
    assertThat(Scenarios.suite("smoke")).doesNotContain("big_set");
    assertThat(Scenarios.suite("docker-default")).doesNotContain("big_set");
    for (Scenario s : Scenarios.all()) {
      if (!s.name().equals("big_set")) {
        assertThat(Scenarios.criteria(s.name())).as(s.name()).isEmpty();
        assertThat(s.prefill()).as(s.name()).isNull();
      }
    }
  }
}
