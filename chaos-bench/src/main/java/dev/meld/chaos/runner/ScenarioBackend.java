package dev.meld.chaos.runner;

import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;

/** Runs one scenario with one seed and writes its results under an output directory. */
@FunctionalInterface
public interface ScenarioBackend {

  /**
   * @return the result (also written to the scenario's directory under {@code outDir})
   * @throws IllegalArgumentException for bad settings (a missing node jar); nothing ran
   */
  ScenarioResult run(Scenario scenario, long seed, Path outDir) throws IOException;
}
