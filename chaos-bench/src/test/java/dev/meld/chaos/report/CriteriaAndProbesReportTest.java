package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** results.json and report.html show each criterion with its measured value, and every step probe. */
class CriteriaAndProbesReportTest {

  private static final long MS = 1_000_000L;

  private static Map<String, Object> probe(String after, int lane, boolean n2Up) {
    Map<String, Object> n1 = SyntheticRun.ordered("ready", true, "live", n2Up ? 1 : 0, "digest", "9f3a0c11d2e4");
    Map<String, Object> nodes =
        n2Up
            ? SyntheticRun.ordered("n1", n1, "n2", SyntheticRun.ordered("ready", true, "live", 1, "digest", "9f3a0c11d2e4"))
            : SyntheticRun.ordered("n1", n1, "n2", "unreachable");
    return SyntheticRun.ordered(
        "after", after, "lane", lane, "nodes", nodes, "answered", n2Up ? 2 : 1, "converged", n2Up);
  }

  private static History history() {
    return History.of(
        List.of(
            new Op(0, 1 * MS, OpType.INVOKE, 0L, "add", 1L),
            new Op(1, 3 * MS, OpType.OK, 0L, "add", 1L),
            new Op(2, 10 * MS, OpType.INVOKE, Op.NEMESIS, "kill", null),
            new Op(3, 11 * MS, OpType.INFO, Op.NEMESIS, "kill", List.of("n2")),
            new Op(4, 12 * MS, OpType.INFO, Op.NEMESIS, ProbeResult.F, probe("start kill", 1, false)),
            new Op(5, 20 * MS, OpType.INVOKE, Op.NEMESIS, "start", null),
            new Op(6, 21 * MS, OpType.INFO, Op.NEMESIS, "start", List.of("n2")),
            new Op(7, 22 * MS, OpType.INFO, Op.NEMESIS, ProbeResult.F, probe("stop kill", 1, true))));
  }

  private static ScenarioResult result(History h) {
    return ScenarioResult.builder("aimed")
        .seed(7)
        .backend("local")
        .nodes(List.of("n1", "n2"))
        .start(Instant.parse("2026-12-07T06:00:00Z"))
        .end(Instant.parse("2026-12-07T06:00:10Z"))
        .history(h)
        .check("counter", CheckResult.of(Validity.TRUE, Map.of()))
        .build();
  }

  private static final List<CriterionResult> JUDGED =
      List.of(
          new CriterionResult("lost = 0", "lost", "=", 0, 0.0, true),
          new CriterionResult("p99_latency <= 200ms", "p99_latency", "<=", 200, 312.5, false),
          new CriterionResult("convergence_after_heal <= 5000ms", "convergence_after_heal", "<=", 5000, null, false));

  @Test
  void probesAreReadFromTheHistoryIntoTheResultInStepOrder() {
    ScenarioResult r = result(history());
    assertThat(r.probes()).extracting(ProbeResult::after).containsExactly("start kill", "stop kill");
    ProbeResult first = r.probes().get(0);
    assertThat(first.timeNs()).isEqualTo(12 * MS);
    assertThat(first.answered()).isEqualTo(1);
    assertThat(first.converged()).isFalse();
    assertThat(first.health("n1")).isEqualTo("ready, 0 live, 9f3a0c11d2..");
    assertThat(first.health("n2")).isEqualTo("unreachable");
    assertThat(r.probes().get(1).converged()).isTrue();
  }

  @Test
  void resultsJsonCarriesCriteriaAndProbesAndReadsThemBack() {
    ScenarioResult r = result(history()).withCriteria(JUDGED);
    String json = ResultsJson.toJson(r);
    assertThat(json).contains("\"criterion\" : \"p99_latency <= 200ms\"", "\"measured\" : 312.5", "\"holds\" : false");
    assertThat(json).contains("\"time-ns\" : 12000000", "\"after\" : \"start kill\"", "\"n2\" : \"unreachable\"");
    ScenarioResult back = ResultsJson.fromJson(json);
    assertThat(back.criteria()).isEqualTo(JUDGED);
    assertThat(back.probes()).extracting(ProbeResult::after, ProbeResult::converged)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("start kill", false),
            org.assertj.core.groups.Tuple.tuple("stop kill", true));
  }

  @Test
  void aCriterionThatFailsIsAViolationAndMakesTheRunInvalid() {
    ScenarioResult passing = result(history()).withCriteria(JUDGED.subList(0, 1));
    assertThat(passing.valid()).isEqualTo(Validity.TRUE);
    ScenarioResult failing = result(history()).withCriteria(JUDGED);
    assertThat(failing.valid()).isEqualTo(Validity.FALSE);
    assertThat(failing.violations())
        .containsExactly(
            "criterion p99_latency <= 200ms: measured 312.5 ms (expected: p99_latency <= 200ms)",
            "criterion convergence_after_heal <= 5000ms: measured not measured"
                + " (expected: convergence_after_heal <= 5000ms)");
  }

  @Test
  void theReportShowsEachCriterionWithItsMeasuredValueAndEveryProbe() {
    History h = history();
    Document doc = Xml.parse(Reports.renderReport(result(h).withCriteria(JUDGED), h));
    List<Element> criteria = Xml.all(doc, "//*[local-name()='table'][@class='criteria-table']/*[local-name()='tbody']/*[local-name()='tr']");
    assertThat(criteria).extracting(Element::getTextContent)
        .containsExactly(
            "lost = 00holds",
            "p99_latency <= 200ms312.5 msFAILS",
            "convergence_after_heal <= 5000msnot measuredFAILS");
    List<Element> probes = Xml.all(doc, "//*[local-name()='table'][@class='probe-table']/*[local-name()='tbody']/*[local-name()='tr']");
    assertThat(probes).hasSize(2);
    assertThat(probes.get(0).getTextContent())
        .isEqualTo("0.0 sstart kill1ready, 0 live, 9f3a0c11d2..unreachableno (1 of 2 answered)");
    assertThat(probes.get(1).getTextContent()).contains("stop kill").endsWith("yes");
  }

  @Test
  void aRunWithoutCriteriaOrProbesShowsNeitherSection() {
    History h = History.of(List.of(new Op(0, MS, OpType.INVOKE, 0L, "add", 1L), new Op(1, 2 * MS, OpType.OK, 0L, "add", 1L)));
    String page = Reports.renderReport(result(h), h);
    assertThat(page).doesNotContain("criteria-table", "probe-table");
  }
}
