package dev.meld.chaos.cli;

import dev.meld.chaos.docker.DockerClusters;
import dev.meld.chaos.maelstrom.MaelstromResult;
import dev.meld.chaos.maelstrom.MaelstromRunner;
import dev.meld.chaos.maelstrom.MaelstromSettings;
import dev.meld.chaos.report.ScenarioResult;
import dev.meld.chaos.report.SuiteVerdict;
import dev.meld.chaos.report.Terminal;
import dev.meld.chaos.history.HistoryReader;
import dev.meld.chaos.report.Reports;
import dev.meld.chaos.runner.CriteriaVerdict;
import dev.meld.chaos.runner.LocalClusters;
import dev.meld.chaos.runner.RunSettings;
import dev.meld.chaos.runner.ScenarioBackend;
import dev.meld.chaos.runner.ScenarioRunner;
import dev.meld.chaos.runner.SuiteRunner;
import dev.meld.chaos.scenario.Criterion;
import dev.meld.chaos.scenario.Scenario;
import dev.meld.chaos.scenario.ScenarioFile;
import dev.meld.chaos.scenario.Scenarios;
import dev.meld.chaos.sim.SimRunner;
import dev.meld.chaos.sim.SimSweep;
import dev.meld.chaos.report.ProgressLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meld-chaos run}: runs scenarios against a fresh cluster each, judges them, writes a report
 * per scenario and an index, prints the summary, and exits 0 (all valid), 1 (a violation), 2 (bad
 * usage) or 3 (nothing invalid, something unknown).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run chaos scenarios against a Meld cluster and judge them.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every scenario valid", "1:a violation", "2:bad usage", "3:unknown"})
final class RunCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      defaultValue = "default",
      split = ",",
      description = "A scenario, or a suite (all, default, smoke); repeatable. Default: ${DEFAULT-VALUE}.")
  private List<String> scenarios;

  @Option(names = "--nodes", paramLabel = "N", description = "Nodes per cluster (default: each scenario's own).")
  private int nodes;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the schedules and clients (default: random, printed).")
  private Long seed;

  @Option(
      names = "--time-limit",
      paramLabel = "D",
      converter = DurationConverter.class,
      description = "How long each workload runs, e.g. 30s (default: each scenario's own, 16 s).")
  private Duration timeLimit;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "60", description = "Client requests per second (default: ${DEFAULT-VALUE}).")
  private double rate;

  @Option(
      names = "--clients-per-node",
      paramLabel = "N",
      defaultValue = "2",
      description = "Client processes per node (default: ${DEFAULT-VALUE}).")
  private int clientsPerNode;

  @Option(
      names = "--quiesce-limit",
      paramLabel = "D",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long to wait for convergence after the heal (default: ${DEFAULT-VALUE}).")
  private Duration quiesceLimit;

  @Option(names = "--backend", paramLabel = "B", defaultValue = "local", description = "local, sim, docker or maelstrom (default: ${DEFAULT-VALUE}); docker needs an engine and the bases of debug-image/setup.sh; maelstrom runs --bin.")
  private String backend;

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "1", description = "sim only: run seeds S .. S+N-1 of each scenario (default: ${DEFAULT-VALUE}).")
  private int seeds;

  @Option(names = "--out", paramLabel = "DIR", description = "Where results go (default: chaos-results/<timestamp>).")
  private Path out;

  @Option(names = "--toxiproxy", paramLabel = "URL", description = "Run the mesh on this Toxiproxy server instead of the built-in fault proxy.")
  private URI toxiproxy;

  @Option(
      names = "--node-jar",
      paramLabel = "PATH",
      defaultValue = "node/target/meld-node.jar",
      description = "The node's runnable jar (default: ${DEFAULT-VALUE}).")
  private Path nodeJar;

  @Option(
      names = "--tls",
      description = "local backend: nodes run mutual TLS on the mesh and a TLS client port (certificates made per cluster); the bench's clients speak TLS.")
  private boolean tls;

  @Option(names = "--unsafe-misbehave", hidden = true, split = ",", description = "Deliberate node bugs, for the tests that show the bench bites.")
  private List<String> misbehaviors = List.of();

  @Option(
      names = "--scenario-file",
      paramLabel = "FILE",
      description = "Run the scenario in this YAML file (instead of --scenario); its criteria join the verdict.")
  private Path scenarioFile;

  @Option(names = "--bin", paramLabel = "CMD", description = "maelstrom only: the Maelstrom node command, run under sh -c once per node.")
  private String bin;

  @Option(
      names = "--workload",
      paramLabel = "W",
      defaultValue = "pn-counter",
      description = "maelstrom only: g-counter, pn-counter, g-set or broadcast (default: ${DEFAULT-VALUE}).")
  private String workload;

  @Option(
      names = "--nemesis",
      paramLabel = "F",
      defaultValue = "partition",
      split = ",",
      description = "maelstrom only: faults in turn: partition, kill, pause, latency, loss, or none (default: ${DEFAULT-VALUE}).")
  private List<String> nemeses;

  @Option(
      names = "--nemesis-interval",
      paramLabel = "D",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "maelstrom only: how long each fault lasts, and the calm between two (default: ${DEFAULT-VALUE}).")
  private Duration nemesisInterval;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (backend.equals("maelstrom")) {
      return maelstrom(stdout);
    }
    List<Scenario> chosen;
    RunSettings settings;
    ScenarioFile.Loaded fromFile = null;
    try {
      if (scenarioFile != null) {
        fromFile = ScenarioFile.read(scenarioFile);
        chosen = List.of(fromFile.scenario());
        if (fromFile.rate() != null) {
          rate = fromFile.rate();
        }
      } else {
        chosen = Scenarios.select(scenarios);
      }
      long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1L << 31);
      settings =
          RunSettings.defaults()
              .withSeed(s)
              .withNodes(nodes)
              .withWorkloadMillis(timeLimit == null ? 0 : timeLimit.toMillis())
              .withRate(rate)
              .withClientsPerNode(clientsPerNode)
              .withQuiesceLimit(quiesceLimit);
      chosen.forEach(sc -> ScenarioRunner.sized(sc, settings));
      if (seeds < 1 || (seeds > 1 && !backend.equals("sim"))) {
        throw new IllegalArgumentException("seeds: " + seeds + " (expected: 1, or more with --backend sim)");
      }
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    } catch (java.nio.file.NoSuchFileException e) {
      return usage("scenario file: " + e.getFile() + " does not exist");
    }
    Path dir = out != null ? out : Path.of("chaos-results", LocalDateTime.now().format(STAMP));
    stdout.printf(
        "meld-chaos run: %d scenario%s, backend %s, seed %d (replay: --seed %d), results in %s%n",
        chosen.size(), chosen.size() == 1 ? "" : "s", backend, settings.seed(), settings.seed(), dir);
    try {
      if (seeds > 1) {
        SimRunner sim = new SimRunner(settings, misbehaviors, b -> b, false);
        int threads = Runtime.getRuntime().availableProcessors();
        return SimSweep.run(chosen, sim, settings.seed(), seeds, threads, dir, stdout, Terminal.colour())
            .exitCode();
      }
      List<ScenarioResult> results =
          SuiteRunner.run(chosen, backend(settings), settings.seed(), dir, stdout, Terminal.colour());
      ScenarioFile.Loaded file = fromFile;
      return criteria(
          results,
          name -> file != null ? file.criteria() : Scenarios.criteria(name),
          dir,
          stdout,
          SuiteVerdict.exitCode(results));
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return usage("interrupted");
    }
  }

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private ScenarioBackend backend(RunSettings settings) {
    if (tls && !backend.equals("local")) {
      throw new IllegalArgumentException("--tls with backend " + backend + " (expected: --backend local)");
    }
    switch (backend) {
      case "local":
        LocalClusters clusters =
            new LocalClusters(
                nodeJar, Optional.ofNullable(toxiproxy), misbehaviors, settings.seed(), tls);
        return new ScenarioRunner(clusters, settings, ProgressLine::toStderr)::run;
      case "sim":
        return new SimRunner(settings, misbehaviors, b -> b, true);
      case "docker":
        if (!java.nio.file.Files.isRegularFile(nodeJar)) {
          throw new IllegalArgumentException(
              "node jar: "
                  + nodeJar.toAbsolutePath()
                  + " does not exist (expected: the node's runnable jar, baked into the debug image;"
                  + " build it with mvn -pl node -am package -DskipTests)");
        }
        Optional<String> why = DockerClusters.unavailable(Duration.ofMinutes(10));
        if (why.isPresent()) {
          throw new IllegalArgumentException("backend docker: " + why.get());
        }
        return new ScenarioRunner(new DockerClusters(nodeJar, misbehaviors), settings, ProgressLine::toStderr)::run;
      default:
        throw new IllegalArgumentException("backend: \"" + backend + "\" (expected: local, sim, docker or maelstrom)");
    }
  }

  /**
   * Judges each scenario's criteria (a scenario file's, or a built-in file's) on its run, prints
   * each with its measured value, writes {@code criteria.json} beside the report, and folds the
   * verdict into the exit code: a criterion that fails makes the run invalid (1). Skipped runs and
   * scenarios without criteria are left as they are.
   */
  private static int criteria(
      List<ScenarioResult> results,
      java.util.function.Function<String, List<Criterion>> criteriaOf,
      Path dir,
      PrintWriter stdout,
      int code)
      throws IOException {
    List<ScenarioResult> judged = new java.util.ArrayList<>(results);
    boolean any = false;
    for (int i = 0; i < results.size(); i++) {
      ScenarioResult result = results.get(i);
      List<Criterion> criteria = criteriaOf.apply(result.name());
      if (criteria.isEmpty() || result.wasSkipped()) {
        continue;
      }
      any = true;
      Path scenarioDir = Reports.scenarioDir(dir, result.name());
      Path historyFile = scenarioDir.resolve("history.jsonl");
      var history =
          java.nio.file.Files.exists(historyFile)
              ? new HistoryReader().allowTruncatedTail(true).read(historyFile)
              : null;
      List<CriteriaVerdict.Measured> measured = CriteriaVerdict.judge(criteria, result, history);
      java.nio.file.Files.createDirectories(scenarioDir);
      java.nio.file.Files.writeString(scenarioDir.resolve("criteria.json"), CriteriaVerdict.toJson(measured));
      boolean hold = CriteriaVerdict.allHold(measured);
      // The suite wrote results.json and report.html before the criteria were judged: write them
      // again with each criterion, its measured value and verdict (a failing one is a violation).
      judged.set(i, result.withCriteria(CriteriaVerdict.rows(measured)));
      Reports.writeScenario(scenarioDir, judged.get(i), history);
      stdout.printf("%s: criteria %s%n", result.name(), hold ? "all hold" : "FAIL");
      stdout.print(CriteriaVerdict.render(measured));
      code = hold ? code : 1;
    }
    if (any) {
      Reports.writeIndex(dir, judged);
    }
    stdout.flush();
    return code;
  }

  /** {@code --backend maelstrom}: one Maelstrom-protocol test of {@code --bin}. */
  private int maelstrom(PrintWriter stdout) throws IOException {
    MaelstromSettings settings;
    try {
      if (scenarioFile != null) {
        // Maelstrom runs its own workload and nemesis: a scenario file would be silently ignored.
        throw new IllegalArgumentException(
            "scenario file: "
                + scenarioFile
                + " with --backend maelstrom (expected: --backend local, sim or docker; maelstrom"
                + " runs --workload and --nemesis, not scenario files)");
      }
      if (bin == null) {
        throw new IllegalArgumentException("bin: none (expected: --bin CMD with --backend maelstrom)");
      }
      int n = nodes == 0 ? 3 : nodes;
      MaelstromSettings d = MaelstromSettings.defaults(bin, workload);
      long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1L << 31);
      settings =
          d.withShape(n, clientsPerNode * n, rate, timeLimit == null ? d.timeLimit() : timeLimit)
              .withNemeses(nemeses.equals(List.of("none")) ? List.of() : nemeses, nemesisInterval)
              .withQuiesceLimit(quiesceLimit)
              .withSeed(s);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    Path dir = out != null ? out : Path.of("chaos-results", LocalDateTime.now().format(STAMP) + "-maelstrom");
    stdout.printf(
        "meld-chaos run: backend maelstrom, %s on %d nodes of %s, seed %d (replay: --seed %d), results in %s%n",
        settings.workload(), settings.nodes(), settings.bin(), settings.seed(), settings.seed(), dir);
    stdout.flush();
    try {
      MaelstromResult result = new MaelstromRunner(settings).run(dir);
      stdout.print(result.summary());
      switch (result.valid()) {
        case TRUE:
          return 0;
        case FALSE:
          return 1;
        default:
          return 3;
      }
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("meld-chaos run: " + e.getMessage());
      return 3;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return usage("interrupted");
    }
  }

  private int usage(String message) {
    spec.commandLine().getErr().println("meld-chaos run: " + message);
    return MeldChaos.BAD_INPUT;
  }
}
