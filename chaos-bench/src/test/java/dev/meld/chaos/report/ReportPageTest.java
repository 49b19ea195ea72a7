package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.history.Props;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The structure of report.html, read back with the JDK's XML parser. */
class ReportPageTest {

  private static final long MS = 1_000_000L;
  private static final String SCRIPT = "<script>alert(1)</script>";

  private static Document render(ScenarioResult r, History h) {
    return Xml.parse(Reports.renderReport(r, h));
  }

  private static List<Element> inChart(Document doc, String chart, String xpath) {
    return Xml.all(doc, "//*[local-name()='svg'][contains(@class,'" + chart + "')]" + xpath);
  }

  @Test
  void everyChartShadesEachFaultExactlyWhereItWas() {
    History h = SyntheticRun.history(7, 5, 3000, 30);
    ScenarioResult r = SyntheticRun.result("shading", h, 30);
    Document doc = render(r, h);

    for (String chart : List.of("latency-chart", "throughput-chart", "quantile-chart")) {
      Element area = inChart(doc, chart, "//*[@class='plot-area']").get(0);
      double x0 = Xml.num(area, "data-x0");
      double x1 = Xml.num(area, "data-x1");
      double t1 = Xml.num(area, "data-t1-ns");
      assertThat(Xml.num(area, "data-t0-ns")).isZero();
      assertThat(t1).isGreaterThanOrEqualTo(h.get(h.size() - 1).time());
      List<Element> shades = inChart(doc, chart, "//*[@class='fault-shade']");
      assertThat(shades).hasSize(r.faults().size()).hasSize(4);
      for (int i = 0; i < shades.size(); i++) {
        FaultWindow w = r.faults().get(i);
        Element rect = shades.get(i);
        double start = x0 + w.startNs() / t1 * (x1 - x0);
        double end = x0 + w.endNs() / t1 * (x1 - x0);
        assertThat(rect.getAttribute("data-kind")).isEqualTo(w.kind());
        assertThat(Long.parseLong(rect.getAttribute("data-start-ns"))).isEqualTo(w.startNs());
        assertThat(Xml.num(rect, "x"))
            .as(chart + " fault " + i + " x")
            .isCloseTo(start, within(0.06));
        assertThat(Xml.num(rect, "width"))
            .as(chart + " fault " + i + " width")
            .isCloseTo(end - start, within(0.11));
      }
      assertThat(inChart(doc, chart, "//*[starts-with(@class,'fault-bar')]")).hasSize(4);
    }
  }

  @Test
  void aFaultStillActiveAtTheEndIsShadedToTheEnd() {
    History h =
        History.of(
            List.of(
                new Op(0, 0, OpType.INVOKE, 0L, "add", 1L),
                new Op(1, 1000 * MS, OpType.INFO, Op.NEMESIS, "kill", "n1"),
                new Op(2, 4000 * MS, OpType.OK, 0L, "add", 1L)));
    ScenarioResult r = ScenarioResult.builder("open-fault").nodes(List.of("n1")).history(h).build();

    Element rect = inChart(render(r, h), "latency-chart", "//*[@class='fault-shade']").get(0);

    assertThat(rect.getAttribute("data-end-ns")).isEmpty();
    assertThat(Xml.num(rect, "x") + Xml.num(rect, "width"))
        .isCloseTo(Plot.LEFT + Plot.PLOT_WIDTH, within(0.11));
  }

  @Test
  void theLatencyChartHasAPointPerCompletedOpMarkedByFAndOutcome() {
    History h = SyntheticRun.history(3, 4, 2000, 20);
    ScenarioResult r = SyntheticRun.result("points", h, 20);
    long completed = h.stream().filter(op -> op.isClient() && !op.isInvoke()).count();

    List<Element> paths =
        inChart(render(r, h), "latency-chart", "//*[starts-with(@class,'points ')]");

    long marks =
        paths.stream()
            .mapToLong(p -> p.getAttribute("d").chars().filter(c -> c == 'M').count())
            .sum();
    assertThat(marks).isEqualTo(completed);
    assertThat(
            paths.stream()
                .map(p -> p.getAttribute("class") + " " + p.getAttribute("data-f"))
                .collect(Collectors.toSet()))
        .contains(
            "points ok add",
            "points ok read",
            "points fail add",
            "points info add",
            "points ok final-read");
  }

  /** Values on a chart's value axis at each vertex of a series. */
  private static List<Double> readBack(Document doc, String chart, Element series) {
    Element area = inChart(doc, chart, "//*[@class='plot-area']").get(0);
    double bottom = Xml.num(area, "y") + Xml.num(area, "height");
    double height = Xml.num(area, "height");
    double y0 = Xml.num(area, "data-y0");
    double y1 = Xml.num(area, "data-y1");
    boolean log = area.getAttribute("data-y-scale").equals("log");
    String coords =
        series.hasAttribute("points") ? series.getAttribute("points") : series.getAttribute("d");
    String[] numbers = coords.replaceAll("[MLh]", " ").replace(',', ' ').trim().split("\\s+");
    List<Double> values = new ArrayList<>();
    for (int i = 1; i < numbers.length; i += 2) {
      double frac = (bottom - Double.parseDouble(numbers[i])) / height;
      values.add(
          log
              ? Math.pow(10, Math.log10(y0) + frac * (Math.log10(y1) - Math.log10(y0)))
              : y0 + frac * (y1 - y0));
    }
    return values;
  }

  @Test
  void throughputReadsBackAsCompletionsPerSecondBucket() {
    List<Op> ops = new ArrayList<>();
    long[][] adds = {{0, 100}, {100, 200}, {200, 300}, {1200, 1500}};
    for (long[] a : adds) {
      ops.add(new Op(ops.size(), a[0] * MS, OpType.INVOKE, 0L, "add", 1L));
      ops.add(new Op(ops.size(), a[1] * MS, OpType.OK, 0L, "add", 1L));
    }
    ops.add(new Op(ops.size(), 2100 * MS, OpType.INVOKE, 0L, "read", null));
    ops.add(new Op(ops.size(), 2200 * MS, OpType.FAIL, 0L, "read", null));
    History h = History.of(ops);
    Document doc = render(ScenarioResult.builder("rate").history(h).build(), h);

    Element addOk = inChart(doc, "throughput-chart", "//*[@class='rate ok'][@data-f='add']").get(0);
    Element readFail =
        inChart(doc, "throughput-chart", "//*[@class='rate fail'][@data-f='read']").get(0);

    assertThat(readBack(doc, "throughput-chart", addOk))
        .hasSize(3)
        .satisfies(
            v -> {
              assertThat(v.get(0)).isCloseTo(3, within(0.05));
              assertThat(v.get(1)).isCloseTo(1, within(0.05));
              assertThat(v.get(2)).isCloseTo(0, within(0.05));
            });
    assertThat(readBack(doc, "throughput-chart", readFail).get(2)).isCloseTo(1, within(0.05));
  }

  @Test
  void quantilesReadBackAsNearestRankLatencies() {
    List<Op> ops = new ArrayList<>();
    long t = 0;
    for (int ms = 1; ms <= 100; ms++) {
      ops.add(new Op(ops.size(), t, OpType.INVOKE, (long) ms, "add", 1L));
      t += 1000;
    }
    for (int ms = 1; ms <= 100; ms++) {
      ops.add(
          new Op(
              ops.size(),
              Math.max(t, (ms - 1) * 1000L + ms * MS),
              OpType.OK,
              (long) ms,
              "add",
              1L));
      t = Math.max(t, (ms - 1) * 1000L + ms * MS);
    }
    History h = History.of(ops);
    Document doc = render(ScenarioResult.builder("quantiles").history(h).build(), h);

    for (String[] q :
        new String[][] {{"p50", "50"}, {"p95", "95"}, {"p99", "99"}, {"max", "100"}}) {
      Element path = inChart(doc, "quantile-chart", "//*[@class='quantile q" + q[0] + "']").get(0);
      double expectedMs = Double.parseDouble(q[1]);
      assertThat(readBack(doc, "quantile-chart", path).get(0) * 1)
          .as(q[0])
          .isCloseTo(expectedMs, within(expectedMs * 0.01));
    }
  }

  @Test
  void aScriptInAnyStringOfTheRunIsShownAsTextNeverRun() {
    History h =
        History.of(
            List.of(
                new Op(0, 0, OpType.INVOKE, 0L, SCRIPT, SCRIPT, Map.of("node", SCRIPT)),
                new Op(
                    1,
                    5 * MS,
                    OpType.INFO,
                    0L,
                    SCRIPT,
                    List.of(SCRIPT),
                    Map.of("node", SCRIPT, "error", SCRIPT)),
                new Op(
                    2,
                    6 * MS,
                    OpType.INFO,
                    Op.NEMESIS,
                    "kill",
                    SCRIPT,
                    Map.of("verified", false, "verify-detail", SCRIPT))));
    ScenarioResult r =
        ScenarioResult.builder(SCRIPT)
            .backend(SCRIPT)
            .nodes(List.of(SCRIPT))
            .phase(SCRIPT, 0, 6 * MS)
            .history(h)
            .check(
                SCRIPT,
                CheckResult.of(Validity.FALSE, Map.of("errors", List.of(SCRIPT), "error", SCRIPT)))
            .convergence(new Convergence(1L, null, Map.of(SCRIPT, SCRIPT), Map.of(SCRIPT, SCRIPT)))
            .build();

    String page = Reports.renderReport(r, h);
    Document doc = Xml.parse(page);

    assertThat(page.toLowerCase(Locale.ROOT)).doesNotContain("<script");
    assertThat(Xml.all(doc, "//*[local-name()='script']")).isEmpty();
    assertThat(doc.getDocumentElement().getTextContent()).contains(SCRIPT);
    assertThat(Xml.all(doc, "//h1").get(0).getTextContent()).startsWith(SCRIPT);
    assertThat(Xml.all(doc, "//*[@data-f='" + SCRIPT + "']")).isNotEmpty();
  }

  @Test
  void thePageLoadsNothingFromAnywhere() {
    History h = SyntheticRun.history(1, 3, 500, 10);
    String page = Reports.renderReport(SyntheticRun.result("offline", h, 10), h);

    assertThat(page)
        .doesNotContain(" src=")
        .doesNotContain("href=\"http")
        .doesNotContain("@import")
        .doesNotContain("url(")
        .doesNotContain("<link")
        .doesNotContain("<script");
  }

  /** Law: for any result and history, the page is well-formed and holds no script element. */
  @Test
  void anyResultRendersAsAWellFormedPageWithoutScript() {
    Props.check(
        qt ->
            qt.withExamples(Math.max(1, Props.EXAMPLES / 5))
                .forAll(longs().all())
                .checkAssert(
                    seed -> {
                      String page =
                          Reports.renderReport(RandomResults.of(seed), RandomResults.history(seed));
                      Document doc = Xml.parse(page);
                      assertThat(Xml.all(doc, "//*[local-name()='script']")).isEmpty();
                      assertThat(Xml.all(doc, "/html/body")).hasSize(1);
                    }));
  }

  @Test
  void aSkippedScenarioSaysWhyAndDrawsNothing() {
    Document doc =
        render(ScenarioResult.skipped("docker-partition", "docker is not available"), null);

    assertThat(Xml.all(doc, "//*[@class='badge v-skipped']")).hasSize(1);
    assertThat(Xml.all(doc, "//p[@class='skipped']").get(0).getTextContent())
        .isEqualTo("Skipped: docker is not available");
    assertThat(Xml.all(doc, "//*[local-name()='svg']")).isEmpty();
  }

  @Test
  void violationsAreListedFirstAndInvalidCheckersOpen() {
    History h = SyntheticRun.history(5, 3, 600, 10);
    ScenarioResult r =
        ScenarioResult.builder("bad")
            .history(h)
            .check(
                "set",
                CheckResult.of(Validity.FALSE, Map.of("lost-count", 2L, "lost", List.of(3, 9))))
            .check("counter", CheckResult.of(Validity.TRUE, Map.of()))
            .build();

    Document doc = render(r, h);

    assertThat(Xml.all(doc, "//section[@id='violations']//li").get(0).getTextContent())
        .isEqualTo("checker set: invalid (lost-count 2)");
    List<Element> details = Xml.all(doc, "//details[@class='checker']");
    assertThat(details.get(0).getAttribute("open")).isEqualTo("open");
    assertThat(details.get(1).hasAttribute("open")).isFalse();
  }
}
