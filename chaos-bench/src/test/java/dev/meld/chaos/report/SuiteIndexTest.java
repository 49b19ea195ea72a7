package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SuiteIndexTest {

  private static final ScenarioResult VALID =
      ScenarioResult.builder("counter partition/halves")
          .check("counter", CheckResult.of(Validity.TRUE, Map.of()))
          .build();
  private static final ScenarioResult INVALID =
      ScenarioResult.builder("set-lost")
          .check("set", CheckResult.of(Validity.FALSE, Map.of("lost-count", 1L)))
          .build();
  private static final ScenarioResult SKIPPED =
      ScenarioResult.skipped("clock-strobe", "libfaketime is not installed");

  @Test
  void theIndexLinksEachReportWithItsVerdict(@TempDir Path out) throws Exception {
    List<ScenarioResult> all = List.of(VALID, INVALID, SKIPPED);
    for (ScenarioResult r : all) {
      Reports.writeScenario(Reports.scenarioDir(out, r.name()), r, null);
    }
    Reports.writeIndex(out, all);

    Document doc = Xml.parse(Files.readString(out.resolve(Reports.INDEX)));

    List<Element> links = Xml.all(doc, "//table[@class='suite']//a");
    assertThat(links)
        .extracting(a -> a.getAttribute("href"))
        .containsExactly(
            "counter_partition_halves/report.html",
            "set-lost/report.html",
            "clock-strobe/report.html");
    for (Element a : links) {
      assertThat(out.resolve(a.getAttribute("href"))).exists();
      assertThat(out.resolve(a.getAttribute("href")).resolveSibling(ResultsJson.FILE)).exists();
    }
    assertThat(Xml.all(doc, "//table[@class='suite']//span[starts-with(@class,'badge')]"))
        .extracting(Element::getTextContent)
        .containsExactly("VALID", "INVALID", "SKIPPED");
    assertThat(Xml.all(doc, "//h1/span").get(0).getTextContent()).isEqualTo("INVALID");
    assertThat(doc.getDocumentElement().getTextContent())
        .contains("3 scenarios, 1 valid, 1 invalid, 0 unknown, 1 skipped; exit code 1")
        .contains("skipped: libfaketime is not installed")
        .contains("checker set: invalid (lost-count 1)");
  }

  @Test
  void twoScenariosThatWouldShareADirectoryAreRejected() {
    ScenarioResult a = ScenarioResult.skipped("a/b", "x");
    ScenarioResult b = ScenarioResult.skipped("a b", "x");

    assertThatThrownBy(() -> Reports.renderIndex(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "scenario names: \"a/b\" and \"a b\" share directory a_b (expected: names that differ in [A-Za-z0-9._-])");
  }

  @Test
  void aScenarioDirectoryStaysInsideTheOutDirectory(@TempDir Path out) {
    assertThat(Reports.scenarioDir(out, "../../etc")).isEqualTo(out.resolve(".._.._etc"));
    assertThat(Reports.scenarioDir(out, "..")).isEqualTo(out.resolve("__"));
    assertThat(Reports.scenarioDir(out, "/abs")).isEqualTo(out.resolve("_abs"));
  }
}
