package dev.meld.chaos.runner;

import dev.meld.chaos.report.Reports;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.report.TerminalSummary;
import dev.meld.chaos.scenario.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios one after another, each on a fresh cluster, rewrites the suite's {@code
 * index.html} after each, and prints the terminal summary at the end.
 */
public final class SuiteRunner {

  private SuiteRunner() {}

  /**
   * Runs {@code scenarios} with {@code seed}, writing under {@code outDir}.
   *
   * @return every result, in order (exit code: {@link dev.meld.chaos.report.SuiteVerdict})
   * @throws IllegalArgumentException for bad settings, before or while the first scenario starts
   */
  public static List<ScenarioResult> run(
      List<Scenario> scenarios,
      ScenarioBackend backend,
      long seed,
      Path outDir,
      PrintWriter out,
      boolean colour)
      throws IOException {
    List<ScenarioResult> results = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      results.add(runOne(scenario, backend, seed, outDir));
      Reports.writeIndex(outDir, results);
    }
    out.print(TerminalSummary.render(results, colour));
    out.println("report: " + outDir.resolve(Reports.INDEX).toAbsolutePath());
    out.flush();
    return results;
  }

  private static ScenarioResult runOne(
      Scenario scenario, ScenarioBackend backend, long seed, Path outDir) throws IOException {
    Instant start = Instant.now();
    try {
      return backend.run(scenario, seed, outDir);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The scenario could not run at all (ports, disk): a violation of its own, the suite goes on.
      ScenarioResult.Builder failed =
          ScenarioResult.builder(scenario.name()).seed(seed).start(start).end(Instant.now());
      Verdicts.addTo(failed, List.of("the scenario could not run: " + e));
      ScenarioResult result = failed.build();
      Reports.writeScenario(
          Reports.scenarioDir(outDir, scenario.name()), result, dev.meld.chaos.history.History.empty());
      return result;
    }
  }
}
