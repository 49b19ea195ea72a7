package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.chaos.history.History;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A run of a million client operations still renders: the latency chart draws a bounded,
 * deterministic sample and says so on the page, and the page stays a few megabytes.
 */
class LargeHistoryTest {

  @Test
  void aMillionOpsRenderDownsampledTheSameWayTwice() {
    History h = SyntheticRun.history(11, 16, 1_000_000, 300);
    // No checker: judging a million ops is the checkers' business, and slow; rendering is tested
    // here.
    ScenarioResult r =
        ScenarioResult.builder("million").nodes(SyntheticRun.NODES).history(h).build();
    assertThat(r.totalOps().total()).isGreaterThan(900_000);

    String page = Reports.renderReport(r, h);
    String again = Reports.renderReport(r, h);

    assertThat(again).isEqualTo(page);
    assertThat(page.length()).isLessThan(4 << 20);
    Document doc = Xml.parse(page);
    List<Element> paths =
        Xml.all(
            doc,
            "//*[local-name()='svg'][contains(@class,'latency-chart')]//*[starts-with(@class,'points ')]");
    long marks =
        paths.stream()
            .mapToLong(p -> p.getAttribute("d").chars().filter(c -> c == 'M').count())
            .sum();
    assertThat(marks).isPositive().isLessThanOrEqualTo(LatencyChart.MAX_POINTS);
    assertThat(Xml.all(doc, "//figcaption").get(0).getTextContent())
        .contains(
            "Downsampled: "
                + Fmt.count(marks)
                + " of "
                + Fmt.count(r.totalOps().ok() + r.totalOps().fail() + r.totalOps().info()));
  }
}
