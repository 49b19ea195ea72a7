package dev.meld.chaos.sim;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.nemesis.Nemesis;
import dev.meld.chaos.report.Convergence;
import dev.meld.chaos.report.ProgressLine;
import dev.meld.chaos.report.Reports;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.runner.ConvergenceWatch;
import dev.meld.chaos.runner.DrainBeforeDataLoss;
import dev.meld.chaos.runner.IncarnationWatch;
import dev.meld.chaos.runner.NemesisActions;
import dev.meld.chaos.runner.PrefillRun;
import dev.meld.chaos.runner.RunSettings;
import dev.meld.chaos.runner.RunTime;
import dev.meld.chaos.runner.ScenarioBackend;
import dev.meld.chaos.runner.ScenarioRunner;
import dev.meld.chaos.runner.Verdicts;
import dev.meld.chaos.scenario.NemesisCatalog;
import dev.meld.chaos.scenario.Scenario;
import dev.meld.chaos.scenario.Schedule;
import dev.meld.chaos.scenario.Step;
import dev.meld.chaos.workload.ClientHistory;
import dev.meld.chaos.workload.FinalReads;
import dev.meld.chaos.workload.Workload;
import dev.meld.chaos.workload.Workloads;
import dev.meld.node.Misbehavior;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.sim.SimCluster;
import dev.meld.node.sim.SimConfig;
import dev.meld.node.sim.Trace;
import dev.meld.node.sim.Violation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The {@code sim} backend: runs a scenario's plan, workload and checkers on the deterministic
 * simulator ({@code dev.meld.node.sim}) in virtual time. One seed is one run, op for op: the
 * simulation, the schedule and the clients all draw from it, so a failing seed fails again.
 *
 * <p>The simulator's timers are about four times a real node's (pings every 100 ms, anti-entropy
 * every 500 ms), so the plan runs at {@value #TIME_SCALE} of its real-node durations. The phases,
 * nemeses, drain before a wipe, convergence watch, final reads and checkers are the real-node
 * runner's; only the clients ({@link SimClients}) and the lag probe ({@link SimLagProbe}) are driven
 * by the simulation's events, and the clock strobe runs the simulation between flips ({@link
 * SimStrobe}). What the simulator models differently is said on each fault's receipt ({@link
 * SimBackedCluster}). Replica failures the simulator catches (an exception, a frame that did not
 * decode) are violations of the {@code run} pseudo-checker.
 */
public final class SimRunner implements ScenarioBackend {

  /** Real-node durations times this are the simulated ones. */
  public static final double TIME_SCALE = 0.25;

  private static final long POLL_MILLIS = 100;
  /**
   * The largest pre-fill (members over all its sets) the simulator runs: as many one-member writes,
   * whose log entries its replication drains in a few virtual seconds.
   */
  public static final int MAX_PREFILL_MEMBERS = 2_000;

  /** How long (virtual) the faults may run past their phase before the clients stop anyway. */
  private static final long LATE_MILLIS = 60_000;

  private final RunSettings settings;
  private final Set<Misbehavior> misbehaviors;
  private final UnaryOperator<ReplicaConfig.Builder> replica;
  private final boolean writeValid;

  /**
   * @param misbehaviors deliberate replica bugs, by {@link Misbehavior} name
   * @param replica adjusts the simulated replicas' configuration (on top of the simulator's
   *     defaults), e.g. a short log retention
   * @param writeValid whether a valid run writes its reports too (a sweep of many seeds writes only
   *     the runs that are not valid)
   */
  public SimRunner(
      RunSettings settings,
      List<String> misbehaviors,
      UnaryOperator<ReplicaConfig.Builder> replica,
      boolean writeValid) {
    this.settings = settings;
    this.misbehaviors = parse(misbehaviors);
    this.replica = replica;
    this.writeValid = writeValid;
  }

  private static Set<Misbehavior> parse(List<String> names) {
    Set<Misbehavior> set = EnumSet.noneOf(Misbehavior.class);
    for (String name : names) {
      try {
        set.add(Misbehavior.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "misbehavior: \"" + name + "\" (expected: one of " + List.of(Misbehavior.values()) + ")", e);
      }
    }
    return set;
  }

  /** The scenario as the simulator runs it: sized by the settings, then scaled to virtual time. */
  public Scenario simulated(Scenario scenario) {
    return ScenarioRunner.sized(scenario, settings).scaled(TIME_SCALE);
  }

  /**
   * Why the simulator cannot run {@code scenario} at all, whatever the seed: a pre-fill larger than
   * {@value #MAX_PREFILL_MEMBERS} members. Its clients add one member per request (there is no
   * multi-member add among the simulator's client ops), so a pre-fill of 100,000 members is 100,000
   * log entries per peer where real nodes write a hundred, and the simulated replication (batches of
   * 32 entries, 4 in flight) drains them at about 700 a virtual second: the backlog outlasts the
   * drain before a wipe (30 s) and the quiesce (60 s), and sending them takes 20-30 s of real time.
   */
  public Optional<String> unsupported(Scenario scenario) {
    if (scenario.prefill() == null) {
      return Optional.empty();
    }
    long members = (long) scenario.prefill().members() * scenario.prefill().sets();
    if (members <= MAX_PREFILL_MEMBERS) {
      return Optional.empty();
    }
    return Optional.of(
        "a pre-fill of "
            + members
            + " members (expected: at most "
            + MAX_PREFILL_MEMBERS
            + " on the simulator, whose clients add one member per request: "
            + members
            + " log entries per peer, which its replication drains at about 700 a virtual second,"
            + " longer than the drain before a wipe and the quiesce wait; run the scenario with"
            + " --backend local)");
  }

  @Override
  public ScenarioResult run(Scenario scenario, long seed, Path outDir) throws IOException {
    Scenario s = simulated(scenario);
    Schedule schedule = s.schedule(seed);
    SimConfig config =
        SimConfig.of(seed, s.nodes())
            .withMisbehaviors(misbehaviors)
            .withReplica(b -> replica.apply(SimConfig.replicaDefaults(b)));
    SimCluster sim = SimCluster.start(config, op -> {}, Trace.silent());
    Path dir = Reports.scenarioDir(outDir, resultName(s.name(), seed));
    SimBackedCluster cluster = new SimBackedCluster(sim, config, dir.resolve("nodes"));
    StringWriter historyText = new StringWriter();
    HistoryRecorder recorder = new HistoryRecorder(historyText, () -> sim.now() * 1_000_000);
    List<String> spares = sparesOf(schedule, s.nodes());
    List<String> names = new ArrayList<>(dev.meld.chaos.runner.ClusterFactory.spareNames(0, s.nodes()));
    names.addAll(spares);
    ScenarioResult.Builder result =
        ScenarioResult.builder(resultName(s.name(), seed)).seed(seed).backend("sim").nodes(names);
    Instant start = Instant.now();
    Optional<String> skip = unsupported(s).or(() -> ScenarioRunner.unsupported(cluster, schedule, spares));
    if (skip.isPresent()) {
      ScenarioResult skipped = result.skipped(skip.get()).start(start).end(Instant.now()).build();
      Files.createDirectories(dir);
      Reports.writeScenario(dir, skipped, History.empty());
      return skipped;
    }
    List<String> errors = new ArrayList<>();
    Phases phases = new Phases(s, schedule, spares, seed, cluster, recorder, result, errors);
    try {
      phases.run();
    } catch (RuntimeException e) {
      errors.add("the simulated run failed: " + e);
    }
    for (Violation v : sim.failures()) {
      errors.add("simulator: " + v);
    }
    History history = recorder.history();
    result.history(history);
    Workloads.named(s.workload(), s.prefill())
        .checkers()
        .forEach((name, checker) -> result.check(name, Verdicts.check(checker, history)));
    phases.incarnations.ifPresent(r -> result.check(IncarnationWatch.NAME, r));
    Verdicts.addTo(result, errors);
    ScenarioResult done = result.start(start).end(Instant.now()).build();
    if (writeValid || done.valid() != dev.meld.chaos.checker.Validity.TRUE) {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("history.jsonl"), historyText.toString(), StandardCharsets.UTF_8);
      Reports.writeScenario(dir, done, history);
    }
    return done;
  }

  private String resultName(String scenario, long seed) {
    return writeValid ? scenario : scenario + "-seed-" + seed;
  }

  private static List<String> sparesOf(Schedule schedule, int nodes) {
    int joins =
        (int)
            schedule.steps().stream()
                .filter(st -> st.nemesis().equals("membership") && st.action() == Step.Action.START)
                .count();
    return dev.meld.chaos.runner.ClusterFactory.spareNames(nodes, joins);
  }

  /** The phases of a simulated run: the real-node runner's, in virtual time. */
  private final class Phases {
    private final Scenario s;
    private final Schedule schedule;
    private final List<String> spares;
    private final long seed;
    private final SimBackedCluster cluster;
    private final HistoryRecorder recorder;
    private final ScenarioResult.Builder result;
    private final List<String> errors;
    private final SimCluster sim;
    private Optional<CheckResult> incarnations = Optional.empty();

    Phases(
        Scenario s,
        Schedule schedule,
        List<String> spares,
        long seed,
        SimBackedCluster cluster,
        HistoryRecorder recorder,
        ScenarioResult.Builder result,
        List<String> errors) {
      this.s = s;
      this.schedule = schedule;
      this.spares = spares;
      this.seed = seed;
      this.cluster = cluster;
      this.recorder = recorder;
      this.result = result;
      this.errors = errors;
      this.sim = cluster.sim();
    }

    private long ns() {
      return sim.now() * 1_000_000;
    }

    private long phase(String name, long from) {
      long now = ns();
      result.phase(name, from, now);
      return now;
    }

    void run() {
      long t = ns();
      try {
        cluster.start();
      } catch (IllegalStateException e) {
        errors.add(e.getMessage());
        phase("start", t);
        return;
      }
      t = phase("start", t);
      Workload workload = Workloads.named(s.workload(), s.prefill());
      if (workload.prefill().isPresent()) {
        PrefillRun.Outcome filled;
        try {
          // One command at a time: the simulator has one thread (each command's adds run together).
          filled =
              new PrefillRun(cluster, workload, recorder, simTime(), 1, settings.quiesceLimit().toMillis(), POLL_MILLIS)
                  .run(cluster.nodes().get(0));
        } catch (InterruptedException e) {
          throw new IllegalStateException("virtual time does not wait", e);
        }
        t = phase("prefill", t);
        if (!filled.complete()) {
          errors.addAll(filled.errors());
          return;
        }
      }
      ClientHistory history = new ClientHistory(recorder);
      // Bounds, not targets: the clients run until the last fault of the phase has ended.
      long budget = (long) (settings.rate() * (s.workloadMillis() + LATE_MILLIS) / 1000.0) + 1_000;
      SimClients clients =
          new SimClients(cluster, workload, history, seed, settings.clientsPerNode(), settings.rate(), budget);
      List<Long> lag = new ArrayList<>();
      SimLagProbe probe = new SimLagProbe(cluster, 250, 2_000, lag::add);
      ProgressLine silent = new ProgressLine(s.name(), new PrintStream(OutputStream.nullOutputStream()), false, System::nanoTime);
      NemesisActions actions =
          new NemesisActions(
              cluster,
              schedule,
              spares,
              recorder,
              silent,
              new DrainBeforeDataLoss(cluster, gate(clients), workload, simTime()),
              this::nemesis);

      long workloadStart = sim.now();
      clients.start(s.workloadMillis() + LATE_MILLIS);
      probe.start();
      sim.advanceTo(workloadStart + s.warmUpMillis());
      t = phase("warm-up", t);

      long faultStart = sim.now();
      for (Step step : schedule.steps()) {
        sim.advanceTo(Math.max(sim.now(), faultStart + step.atMillis()));
        actions.act(step);
      }
      sim.advanceTo(Math.max(sim.now(), faultStart + s.faultMillis()));
      if (!clients.stop(5_000)) {
        errors.add("client requests still in flight 5 virtual s after the workload ended");
      }
      probe.stop();
      t = phase("faults", t);

      actions.heal();
      long healNs = ns();
      t = phase("heal", t);

      ConvergenceWatch.Outcome converged;
      try {
        converged =
            ConvergenceWatch.await(
                cluster, workload, this::ns, simTime(), settings.quiesceLimit().toMillis(), POLL_MILLIS);
      } catch (InterruptedException e) {
        throw new IllegalStateException("virtual time does not wait", e);
      }
      t = phase("quiesce", t);

      Map<String, Map<String, Object>> reads =
          FinalReads.record(cluster, cluster.nodes(), workload, history, clients.processesUsed());
      phase("final-reads", t);
      result.convergence(new Convergence(healNs, converged.convergedNs(), converged.digests(), Map.copyOf(reads)));
      lag.forEach(result::lagSample);
      incarnations = actions.incarnations();
    }

    private Nemesis nemesis(String name, List<String> spares) {
      if (name.equals("clock-strobe")) {
        // The real-node strobe: +30 s and back every 3 s for 12 s, in virtual time.
        return new SimStrobe(
            cluster, Duration.ofSeconds(30), Math.round(3_000 * TIME_SCALE), Math.round(12_000 * TIME_SCALE));
      }
      return NemesisCatalog.create(name, spares);
    }

    private RunTime simTime() {
      return new RunTime() {
        @Override
        public long nanoTime() {
          return ns();
        }

        @Override
        public void sleep(long millis) {
          sim.advance(millis);
        }
      };
    }

    private DrainBeforeDataLoss.Clients gate(SimClients clients) {
      return new DrainBeforeDataLoss.Clients() {
        @Override
        public boolean pause(Duration timeout) {
          return clients.pause(timeout);
        }

        @Override
        public void resume() {
          clients.resume();
        }
      };
    }
  }
}
