package dev.meld.chaos.sim;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.report.Reports;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.report.SuiteVerdict;
import dev.meld.chaos.report.TerminalSummary;
import dev.meld.chaos.scenario.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many seeds of each scenario on the simulator ({@code run --backend sim --seeds N}): seeds {@code
 * S .. S+N-1}, run on every core (each run is single-threaded and shares nothing). Only runs that
 * are not valid write a report ({@code <scenario>-seed-<seed>/}); the terminal gets one line per
 * scenario, then the summary of the first failures and how to replay them.
 */
public final class SimSweep {

  private static final int SHOWN = 5;

  /**
   * What a sweep found.
   *
   * @param skipped the scenarios the simulator cannot run at all ({@link SimRunner#unsupported}),
   *     each with why; none of their seeds ran
   */
  public record Outcome(int runs, int valid, List<ScenarioResult> notValid, List<String> skipped) {

    /**
     * {@link SuiteVerdict}'s exit code over every run; scenarios skipped beside runs that are valid
     * do not count, and nothing run at all is unknown (3).
     */
    public int exitCode() {
      if (runs == 0) {
        return SuiteVerdict.UNKNOWN;
      }
      return notValid.isEmpty() ? SuiteVerdict.VALID : SuiteVerdict.exitCode(notValid);
    }
  }

  private SimSweep() {}

  /**
   * @param runner a runner that writes only runs that are not valid
   * @param threads how many runs go at once
   */
  public static Outcome run(
      List<Scenario> scenarios,
      SimRunner runner,
      long firstSeed,
      int seeds,
      int threads,
      Path outDir,
      PrintWriter out,
      boolean colour)
      throws IOException, InterruptedException {
    if (seeds < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "seeds: " + seeds + ", threads: " + threads + " (expected: both >= 1)");
    }
    List<ScenarioResult> notValid = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int runs = 0;
    int valid = 0;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (Scenario scenario : scenarios) {
        Optional<String> cannot = runner.unsupported(runner.simulated(scenario));
        if (cannot.isPresent()) {
          // Once for the scenario, not once per seed: no seed would run.
          skipped.add(scenario.name() + ": " + cannot.get());
          out.printf("sim %-23s SKIPPED: %s%n", scenario.name(), cannot.get());
          out.flush();
          continue;
        }
        long started = System.nanoTime();
        List<Future<ScenarioResult>> futures = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
          long s = seed;
          futures.add(pool.submit(() -> runner.run(scenario, s, outDir)));
        }
        int ok = 0;
        List<Long> failing = new ArrayList<>();
        for (Future<ScenarioResult> f : futures) {
          ScenarioResult r = get(f);
          runs++;
          if (r.valid() == Validity.TRUE) {
            ok++;
          } else {
            notValid.add(r);
            failing.add(r.seed());
          }
        }
        valid += ok;
        out.printf(
            "sim %-23s seeds %d..%d: %d valid, %d not valid%s (%.1f s)%n",
            scenario.name(),
            firstSeed,
            firstSeed + seeds - 1,
            ok,
            failing.size(),
            failing.isEmpty() ? "" : " " + abbreviate(failing),
            (System.nanoTime() - started) / 1e9);
        out.flush();
      }
    } finally {
      pool.shutdownNow();
    }
    if (!notValid.isEmpty()) {
      Reports.writeIndex(outDir, notValid);
      out.print(TerminalSummary.render(notValid.subList(0, Math.min(SHOWN, notValid.size())), colour));
      ScenarioResult first = notValid.get(0);
      out.printf(
          "replay one: meld-chaos run --backend sim --scenario %s --seed %d%nreports: %s%n",
          first.name().substring(0, first.name().lastIndexOf("-seed-")),
          first.seed(),
          outDir.resolve(Reports.INDEX).toAbsolutePath());
    }
    out.printf(
        "sim sweep: %d runs, %d valid, %d not valid%s%n",
        runs,
        valid,
        notValid.size(),
        skipped.isEmpty() ? "" : ", " + skipped.size() + " scenario(s) skipped");
    out.flush();
    return new Outcome(runs, valid, notValid, skipped);
  }

  private static ScenarioResult get(Future<ScenarioResult> f) throws IOException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static String abbreviate(List<Long> seeds) {
    List<Long> shown = seeds.subList(0, Math.min(10, seeds.size()));
    return "(seeds " + shown + (seeds.size() > shown.size() ? " ..." : "") + ")";
  }
}
