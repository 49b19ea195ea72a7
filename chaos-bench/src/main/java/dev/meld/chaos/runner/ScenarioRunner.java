package dev.meld.chaos.runner;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.report.Convergence;
import dev.meld.chaos.report.ProgressLine;
import dev.meld.chaos.report.Reports;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.scenario.NemesisCatalog;
import dev.meld.chaos.scenario.Scenario;
import dev.meld.chaos.scenario.Schedule;
import dev.meld.chaos.scenario.Step;
import dev.meld.chaos.workload.ClientHistory;
import dev.meld.chaos.workload.ClientPool;
import dev.meld.chaos.workload.FinalReads;
import dev.meld.chaos.workload.Workload;
import dev.meld.chaos.workload.Workloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one scenario on a fresh cluster of real nodes and writes what it saw: {@code history.jsonl},
 * node logs, {@code results.json} and {@code report.html} in the scenario's directory.
 *
 * <p>Phases, each recorded with its span: <b>prefill</b> (only for a workload that pre-fills its
 * sets: {@link PrefillRun}), <b>warm-up</b> (clients only), <b>faults</b> (the
 * schedule's lanes strike while the clients go on, until the fault phase is over and every lane has
 * run its last step), <b>heal</b> (clients stopped, every fault still in effect ended), <b>quiesce</b> (polling until the nodes converge, bounded), and
 * <b>final-reads</b> (every key on every node). A replication-lag probe samples while the workload
 * runs. The workload's checkers then judge the history, per key.
 *
 * <p>Anything that keeps the run from doing what it planned (the cluster would not start, a lane
 * hung) is reported as a violation of a pseudo-checker named {@code run}, never passed over.
 */
public final class ScenarioRunner {

  private static final long LANE_GRACE_MILLIS = 120_000;
  private static final long POLL_MILLIS = 250;
  /** Pre-fill commands in flight: enough to keep a node busy, few enough not to swamp two cores. */
  private static final int PREFILL_IN_FLIGHT = 4;

  private final ClusterFactory clusters;
  private final RunSettings settings;
  private final Function<String, ProgressLine> progressLines;

  /**
   * @param progressLines a progress line per scenario name ({@link ProgressLine#toStderr})
   */
  public ScenarioRunner(
      ClusterFactory clusters, RunSettings settings, Function<String, ProgressLine> progressLines) {
    this.clusters = clusters;
    this.settings = settings;
    this.progressLines = progressLines;
  }

  /** The scenario as these settings size it (nodes, workload time). */
  public static Scenario sized(Scenario scenario, RunSettings settings) {
    Scenario s = settings.nodes() == 0 ? scenario : scenario.withNodes(settings.nodes());
    return settings.workloadMillis() == 0 ? s : s.withWorkloadMillis(settings.workloadMillis());
  }

  /** Runs {@code scenario} with {@code seed}, writing under {@code outDir}; never throws for a run that went wrong. */
  public ScenarioResult run(Scenario scenario, long seed, Path outDir) throws IOException {
    Scenario s = sized(scenario, settings);
    Path dir = Reports.scenarioDir(outDir, s.name());
    Files.createDirectories(dir);
    Schedule schedule = s.schedule(seed);
    int joins = (int) schedule.steps().stream()
        .filter(st -> st.nemesis().equals("membership") && st.action() == Step.Action.START)
        .count();
    List<String> spares = ClusterFactory.spareNames(s.nodes(), joins);
    List<String> names = new ArrayList<>(ClusterFactory.spareNames(0, s.nodes()));
    names.addAll(spares);
    ScenarioResult.Builder result = ScenarioResult.builder(s.name()).seed(seed).nodes(names);
    Instant started = Instant.now();
    Outcome outcome;
    try (Cluster cluster = clusters.create(s.nodes(), joins, dir)) {
      result.backend(cluster.backend());
      outcome = runOn(cluster, s, schedule, spares, seed, dir, result);
    }
    ScenarioResult done = result.start(started).end(Instant.now()).build();
    Reports.writeScenario(dir, done, outcome.history);
    return done;
  }

  private record Outcome(History history) {}

  private Outcome runOn(
      Cluster cluster,
      Scenario s,
      Schedule schedule,
      List<String> spares,
      long seed,
      Path dir,
      ScenarioResult.Builder result)
      throws IOException {
    Optional<String> skip = unsupported(cluster, schedule, spares);
    if (skip.isPresent()) {
      result.skipped(skip.get());
      return new Outcome(History.empty());
    }
    List<String> errors = new ArrayList<>();
    RunClock clock = new RunClock();
    HistoryRecorder recorder =
        new HistoryRecorder(
            Files.newBufferedWriter(dir.resolve("history.jsonl"), StandardCharsets.UTF_8), clock);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon());
    try (recorder;
        ProgressLine progress = progressLines.apply(s.name())) {
      ticker.scheduleAtFixedRate(progress::tick, 250, 250, TimeUnit.MILLISECONDS);
      progress.phase("start");
      long t = clock.getAsLong();
      try {
        cluster.start();
      } catch (Exception e) {
        errors.add("the cluster did not start: " + e.getMessage() + " (node logs: " + cluster.logDir() + ")");
        result.phase("start", t, clock.getAsLong());
        Verdicts.addTo(result, errors);
        return new Outcome(recorder.history());
      }
      result.phase("start", t, clock.getAsLong());
      skip = unsupported(cluster, schedule, spares);
      if (skip.isPresent()) {
        result.skipped(skip.get());
        return new Outcome(recorder.history());
      }
      Phases phases = new Phases(s, schedule, spares, seed, cluster, recorder, progress, clock, result, errors);
      phases.run();
      History history = recorder.history();
      result.history(history);
      Workloads.named(s.workload(), s.prefill())
          .checkers()
          .forEach((name, checker) -> result.check(name, Verdicts.check(checker, history)));
      phases.incarnations.ifPresent(r -> result.check(IncarnationWatch.NAME, r));
      Verdicts.addTo(result, errors);
      return new Outcome(history);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add("interrupted");
      Verdicts.addTo(result, errors);
      return new Outcome(recorder.history());
    } finally {
      ticker.shutdownNow();
    }
  }

  /** Why this cluster cannot run the schedule's faults, if it cannot, naming the first such step. */
  public static Optional<String> unsupported(Cluster cluster, Schedule schedule, List<String> spares) {
    for (String nemesis : schedule.nemeses()) {
      for (FaultKind kind : NemesisCatalog.create(nemesis, spares).needs()) {
        Optional<String> why = cluster.unsupported(kind);
        if (why.isPresent()) {
          Step first = schedule.steps().stream().filter(st -> st.nemesis().equals(nemesis)).findFirst().orElseThrow();
          return Optional.of(
              nemesis + " needs " + kind.label() + ": " + why.get() + " (step: " + first.toString().strip() + ")");
        }
      }
    }
    return Optional.empty();
  }

  /** The phases after the start, with what they need. */
  private final class Phases {
    private final Scenario s;
    private final Schedule schedule;
    private final List<String> spares;
    private final long seed;
    private final Cluster cluster;
    private final HistoryRecorder recorder;
    private final ProgressLine progress;
    private final RunClock clock;
    private final ScenarioResult.Builder result;
    private final List<String> errors;
    private Optional<CheckResult> incarnations = Optional.empty();

    Phases(
        Scenario s,
        Schedule schedule,
        List<String> spares,
        long seed,
        Cluster cluster,
        HistoryRecorder recorder,
        ProgressLine progress,
        RunClock clock,
        ScenarioResult.Builder result,
        List<String> errors) {
      this.s = s;
      this.schedule = schedule;
      this.spares = spares;
      this.seed = seed;
      this.cluster = cluster;
      this.recorder = recorder;
      this.progress = progress;
      this.clock = clock;
      this.result = result;
      this.errors = errors;
    }

    void run() throws InterruptedException {
      Workload workload = Workloads.named(s.workload(), s.prefill());
      ClientHistory history = new ClientHistory(recorder);
      // Bounds, not targets: the clients run until the last fault of the phase has ended.
      long budget = (long) (settings.rate() * (s.workloadMillis() + LANE_GRACE_MILLIS) / 1000.0) + 1_000;
      ClientPool pool =
          new ClientPool(
              cluster,
              cluster.nodes(),
              settings.clientsPerNode(),
              settings.rate(),
              budget,
              workload,
              history,
              progress,
              seed);
      List<Long> lag = Collections.synchronizedList(new ArrayList<>());
      LagProbe probe = new LagProbe(cluster, 1_000, 5_000, lag::add);
      NemesisActions actions =
          new NemesisActions(
              cluster,
              schedule,
              spares,
              recorder,
              progress,
              new DrainBeforeDataLoss(cluster, clientGate(pool, probe), workload, RunTime.SYSTEM),
              NemesisCatalog::create);
      NemesisLanes lanes =
          new NemesisLanes(
              schedule, actions, step -> actions.between(() -> StepProbe.record(cluster, recorder, step)));

      long t = clock.getAsLong();
      if (workload.prefill().isPresent()) {
        progress.phase("prefill");
        // Every node must hold it within the quiesce limit, as it must converge after the heal.
        PrefillRun.Outcome filled =
            new PrefillRun(
                    cluster, workload, recorder, RunTime.SYSTEM, PREFILL_IN_FLIGHT,
                    settings.quiesceLimit().toMillis(), POLL_MILLIS)
                .run(cluster.nodes().get(0));
        t = phase("prefill", t);
        if (!filled.complete()) {
          // Faults on a set that is not whole everywhere would test less than the scenario says.
          errors.addAll(filled.errors());
          return;
        }
      }
      progress.phase("warm-up");
      long workloadStart = System.nanoTime();
      pool.start(Duration.ofMillis(s.workloadMillis() + LANE_GRACE_MILLIS));
      probe.start();
      sleepUntil(workloadStart + s.warmUpMillis() * 1_000_000);
      t = phase("warm-up", t);

      progress.phase("faults");
      long faultStart = System.nanoTime();
      lanes.start(faultStart);
      sleepUntil(faultStart + s.faultMillis() * 1_000_000);
      // A fault may take longer than planned (a restart waits for readiness, a slow link is
      // verified end to end): the workload goes on until every lane has ended its last fault.
      if (!lanes.await(LANE_GRACE_MILLIS)) {
        errors.add("a nemesis lane was still busy " + LANE_GRACE_MILLIS / 1000 + " s after the fault phase");
      }
      if (!pool.stop(Duration.ofSeconds(30))) {
        errors.add("client threads still running 30 s after the workload ended");
      }
      probe.stop();
      t = phase("faults", t);

      progress.phase("heal");
      actions.heal();
      long healNs = clock.getAsLong();
      t = phase("heal", t);

      progress.phase("quiesce");
      ConvergenceWatch.Outcome converged =
          ConvergenceWatch.await(
              cluster, workload, clock, RunTime.SYSTEM, settings.quiesceLimit().toMillis(), POLL_MILLIS);
      if (converged.convergedNs() == null) {
        // A violation of its own in the result (convergence); the reason goes to the progress line.
        progress.violation("not converged: " + converged.lastDisagreement());
      }
      t = phase("quiesce", t);

      progress.phase("final-reads");
      Map<String, Map<String, Object>> reads =
          FinalReads.record(cluster, cluster.nodes(), workload, history, pool.processesUsed());
      phase("final-reads", t);

      result.convergence(
          new Convergence(healNs, converged.convergedNs(), converged.digests(), Map.copyOf(reads)));
      incarnations = actions.incarnations();
      synchronized (lag) {
        lag.forEach(result::lagSample);
      }
    }

    private long phase(String name, long from) {
      long now = clock.getAsLong();
      result.phase(name, from, now);
      return now;
    }
  }

  /*
   * The workload's clients and the lag probe's: the probe writes and reads too, and a restore with
   * one of its requests in flight is what the drain exists to prevent (BackupRestoreStepsTest
   * failed now and then on a loaded machine: a probe read was in flight at the restore).
   */
  private static DrainBeforeDataLoss.Clients clientGate(ClientPool pool, LagProbe probe) {
    return new DrainBeforeDataLoss.Clients() {
      @Override
      public boolean pause(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        boolean clients = pool.pause(timeout);
        boolean probed = probe.pause(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        return clients && probed;
      }

      @Override
      public void resume() {
        probe.resume();
        pool.resume();
      }
    };
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "progress-ticker");
      t.setDaemon(true);
      return t;
    };
  }
}
