package dev.meld.chaos.report;

import dev.meld.chaos.history.History;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's report files. A suite's out directory holds {@code index.html} and one directory
 * per scenario ({@link #scenarioDir}) with {@code results.json} and {@code report.html}; the runner
 * puts {@code history.jsonl} and the node logs there too.
 *
 * <pre>{@code
 * Path dir = Reports.scenarioDir(out, result.name());
 * Reports.writeScenario(dir, result, history);   // results.json + report.html
 * Reports.writeIndex(out, allResults);           // index.html
 * System.out.print(TerminalSummary.render(allResults, Terminal.colour()));
 * System.exit(SuiteVerdict.exitCode(allResults));
 * }</pre>
 */
public final class Reports {

  public static final String REPORT = "report.html";
  public static final String INDEX = "index.html";

  private Reports() {}

  /** The directory of a scenario: its name with every character but {@code [A-Za-z0-9._-]} as _. */
  public static Path scenarioDir(Path outDir, String scenario) {
    return outDir.resolve(dirName(scenario));
  }

  static String dirName(String scenario) {
    String name = scenario.replaceAll("[^A-Za-z0-9._-]", "_");
    return name.equals(".") || name.equals("..") ? name.replace('.', '_') : name;
  }

  /** {@code report.html} of one scenario; {@code history} may be null (no charts then). */
  public static String renderReport(ScenarioResult result, History history) {
    return ReportPage.render(result, history);
  }

  /**
   * Writes {@code results.json} and {@code report.html} into {@code dir}, creating it.
   *
   * @param history the run's history, or null if there is none (skipped)
   */
  public static void writeScenario(Path dir, ScenarioResult result, History history)
      throws IOException {
    Files.createDirectories(dir);
    ResultsJson.write(dir.resolve(ResultsJson.FILE), result);
    Files.writeString(dir.resolve(REPORT), renderReport(result, history), StandardCharsets.UTF_8);
  }

  /**
   * The suite's {@code index.html}, linking {@code <scenarioDir>/report.html} of each.
   *
   * @throws IllegalArgumentException if two scenarios would share a directory
   */
  public static String renderIndex(List<ScenarioResult> results) {
    Map<String, String> seen = new HashMap<>();
    for (ScenarioResult r : results) {
      String previous = seen.put(dirName(r.name()), r.name());
      if (previous != null) {
        throw new IllegalArgumentException(
            "scenario names: \""
                + previous
                + "\" and \""
                + r.name()
                + "\" share directory "
                + dirName(r.name())
                + " (expected: names that differ in [A-Za-z0-9._-])");
      }
    }
    return SuiteIndex.render(results, r -> dirName(r.name()) + "/" + REPORT);
  }

  public static void writeIndex(Path outDir, List<ScenarioResult> results) throws IOException {
    String page = renderIndex(results);
    Files.createDirectories(outDir);
    Files.writeString(outDir.resolve(INDEX), page, StandardCharsets.UTF_8);
  }
}
