package dev.meld.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meld.chaos.history.History;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a generated report in headless Chromium, as a person would: the screenshot must show a page
 * (not blank, many colours) and the DOM the browser built must hold the three charts. Skips when
 * Chromium is not installed ({@code apt-get install -y chromium}).
 *
 * <p>The screenshot is kept in {@code target/report-example/} to look at; the README's picture is a
 * copy of it.
 */
class ReportChromiumTest {

  @Test
  void aGeneratedReportRendersWithItsChartsInChromium(@TempDir Path tmp) throws Exception {
    Optional<Chromium> chromium = Chromium.find(tmp);
    assumeTrue(
        chromium.isPresent(),
        "chromium is not installed (apt-get install -y chromium): skipping the headless render test");
    Path out = Path.of("target", "report-example").toAbsolutePath();
    History h = SyntheticRun.history(42, 10, 12_000, 60);
    ScenarioResult r = SyntheticRun.result("counter-mixed-faults", h, 60);
    Path dir = Reports.scenarioDir(out, r.name());
    Reports.writeScenario(dir, r, h);
    Path png = out.resolve("report.png");
    Files.deleteIfExists(png);

    chromium.get().screenshot(dir.resolve(Reports.REPORT), png, 2200);
    String dom = chromium.get().dumpDom(dir.resolve(Reports.REPORT));

    assertThat(png).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1400);
    assertThat(colourVariety(image)).as("distinct colours in the screenshot").isGreaterThan(64);
    assertThat(nonWhiteShare(image)).as("share of pixels that are not white").isGreaterThan(0.05);
    assertThat(dom)
        .contains("class=\"chart latency-chart\"")
        .contains("class=\"chart throughput-chart\"")
        .contains("class=\"chart quantile-chart\"")
        .contains("class=\"fault-shade\"")
        .contains("counter-mixed-faults");
  }

  private static int colourVariety(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return colours.size();
  }

  private static double nonWhiteShare(BufferedImage image) {
    long nonWhite = 0;
    long all = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        all++;
        if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
          nonWhite++;
        }
      }
    }
    return (double) nonWhite / all;
  }
}
