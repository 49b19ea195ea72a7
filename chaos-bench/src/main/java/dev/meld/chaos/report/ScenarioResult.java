package dev.meld.chaos.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a report says about one scenario run: what ran (name, seed, backend, nodes, wall-clock
 * start and end, phases), what the nemesis did (fault windows), how the client ops ended, each
 * checker's result, convergence after the heal and replication lag; or why it was skipped. It is
 * what {@code results.json} holds (schema in the chaos-bench README), and everything but the per-op
 * charts of {@code report.html} comes from it.
 *
 * <p>Times inside a run are nanoseconds since its start, the clock of the history's {@code time}.
 * The {@link #valid() verdict} is derived: false on any {@link #violations() violation} (a checker
 * found the history invalid, a fault did not take effect, the nodes did not converge), else unknown
 * if the scenario was skipped, ran no checker or a checker could not decide, else true.
 */
@JsonPropertyOrder({"name", "valid", "violations"})
@JsonIgnoreProperties(
    value = {"valid", "violations"},
    allowGetters = true)
public record ScenarioResult(
    String name,
    String skipped,
    long seed,
    String backend,
    List<String> nodes,
    Instant start,
    Instant end,
    List<Phase> phases,
    List<FaultWindow> faults,
    Map<String, OpCounts> ops,
    Map<String, CheckResult> checks,
    Convergence convergence,
    @JsonProperty("replication-lag") ReplicationLag replicationLag,
    List<CriterionResult> criteria,
    List<ProbeResult> probes) {

  public ScenarioResult {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "scenario name: " + name + " (expected: a non-blank string)");
    }
    if (skipped != null && skipped.isBlank()) {
      throw new IllegalArgumentException(
          "skipped: \"" + skipped + "\" (expected: null, or a reason to show)");
    }
    if (start != null && end != null && end.isBefore(start)) {
      throw new IllegalArgumentException(
          "scenario " + name + ": end: " + end + " (expected: not before start " + start + ")");
    }
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    phases = phases == null ? List.of() : List.copyOf(phases);
    faults = faults == null ? List.of() : List.copyOf(faults);
    ops = Collections.unmodifiableMap(new TreeMap<>(ops == null ? Map.of() : ops));
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks == null ? Map.of() : checks));
    replicationLag = replicationLag == null ? ReplicationLag.NONE : replicationLag;
    criteria = criteria == null ? List.of() : List.copyOf(criteria);
    probes = probes == null ? List.of() : List.copyOf(probes);
  }

  /** This result with a scenario file's criteria judged on it (a criterion that fails is a violation). */
  public ScenarioResult withCriteria(List<CriterionResult> judged) {
    return new ScenarioResult(
        name, skipped, seed, backend, nodes, start, end, phases, faults, ops, checks, convergence,
        replicationLag, judged, probes);
  }

  /** A builder for the scenario named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A scenario that did not run, and why (Docker missing, libfaketime missing, ...). */
  public static ScenarioResult skipped(String name, String reason) {
    return builder(name).skipped(reason).build();
  }

  public boolean wasSkipped() {
    return skipped != null;
  }

  /** Client op outcomes over every f. */
  public OpCounts totalOps() {
    return ops.values().stream().reduce(OpCounts.ZERO, OpCounts::plus);
  }

  /** Wall-clock duration, or null if start or end is unknown. */
  public Duration duration() {
    return start == null || end == null ? null : Duration.between(start, end);
  }

  /** Why this run failed, one line each; empty if nothing failed. */
  @JsonProperty("violations")
  public List<String> violations() {
    List<String> out = new ArrayList<>();
    checks.forEach(
        (checker, result) -> {
          if (result.valid() == Validity.FALSE) {
            List<String> counts = CheckSummary.keyCounts(result, 3);
            out.add(
                "checker "
                    + checker
                    + ": invalid"
                    + (counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")"));
          }
        });
    for (FaultWindow w : faults) {
      if (w.failedVerification()) {
        out.add(
            "fault "
                + w.kind()
                + " ("
                + w.startF()
                + (w.targets().isEmpty() ? "" : " " + String.join(" ", w.targets()))
                + ") at "
                + Fmt.seconds(w.startNs())
                + ": did not take effect"
                + (w.detail() == null ? "" : ": " + w.detail()));
      }
    }
    for (CriterionResult c : criteria) {
      if (!c.holds()) {
        out.add("criterion " + c.criterion() + ": measured " + c.measuredText() + " (expected: " + c.criterion() + ")");
      }
    }
    if (convergence != null) {
      if (convergence.convergedNs() == null) {
        out.add("convergence: the nodes were never seen to converge after the heal");
      }
      if (convergence.rootDigests().isEmpty()) {
        out.add("convergence: no root digest was read");
      } else if (!convergence.digestsEqual()) {
        out.add("convergence: root digests differ " + convergence.rootDigests());
      }
      if (convergence.finalReads().isEmpty()) {
        out.add("convergence: no final read");
      } else if (!convergence.readsEqual()) {
        out.add("convergence: final reads differ between nodes");
      }
    }
    return out;
  }

  /**
   * The verdict: false on any violation, else unknown (skipped, no checker, undecided), else true.
   */
  @JsonProperty("valid")
  public Validity valid() {
    if (!violations().isEmpty()) {
      return Validity.FALSE;
    }
    if (wasSkipped() || checks.isEmpty()) {
      return Validity.UNKNOWN;
    }
    return Validity.mergeAll(checks.values().stream().map(CheckResult::valid).toList());
  }

  /** Builds a {@link ScenarioResult}; {@link #history} derives the fault windows and op counts. */
  public static final class Builder {
    private final String name;
    private String skipped;
    private long seed;
    private String backend;
    private List<String> nodes = List.of();
    private Instant start;
    private Instant end;
    private final List<Phase> phases = new ArrayList<>();
    private History history;
    private List<FaultWindow> faults;
    private final Map<String, CheckResult> checks = new LinkedHashMap<>();
    private Convergence convergence;
    private final List<Long> lag = new ArrayList<>();
    private List<CriterionResult> criteria = List.of();

    private Builder(String name) {
      this.name = name;
    }

    public Builder skipped(String reason) {
      this.skipped = reason;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** {@code local}, {@code docker} or {@code sim}. */
    public Builder backend(String backend) {
      this.backend = backend;
      return this;
    }

    public Builder nodes(List<String> nodes) {
      this.nodes = List.copyOf(nodes);
      return this;
    }

    public Builder start(Instant start) {
      this.start = start;
      return this;
    }

    public Builder end(Instant end) {
      this.end = end;
      return this;
    }

    public Builder phase(String phase, long startNs, long endNs) {
      phases.add(new Phase(phase, startNs, endNs));
      return this;
    }

    /**
     * The run's history: fault windows (unless set by {@link #faults}) and op counts come from it.
     */
    public Builder history(History history) {
      this.history = history;
      return this;
    }

    /** Fault windows to report instead of those derived from the history. */
    public Builder faults(List<FaultWindow> faults) {
      this.faults = List.copyOf(faults);
      return this;
    }

    public Builder check(String checker, CheckResult result) {
      if (checks.putIfAbsent(checker, result) != null) {
        throw new IllegalArgumentException("checker: \"" + checker + "\" (expected: added once)");
      }
      return this;
    }

    /** Adds each checker result of a {@code Compose} result under its name. */
    public Builder checks(CheckResult composed) {
      composed
          .details()
          .forEach(
              (checker, result) -> {
                if (!(result instanceof CheckResult)) {
                  throw new IllegalArgumentException(
                      "checks: detail \""
                          + checker
                          + "\" is not a checker's result (expected: a composed result)");
                }
                check(checker, (CheckResult) result);
              });
      return this;
    }

    public Builder convergence(Convergence convergence) {
      this.convergence = convergence;
      return this;
    }

    /** A scenario file's criteria, judged. */
    public Builder criteria(List<CriterionResult> judged) {
      this.criteria = List.copyOf(judged);
      return this;
    }

    public Builder lagSample(long lagNs) {
      lag.add(lagNs);
      return this;
    }

    public ScenarioResult build() {
      Map<String, OpCounts> ops = Map.of();
      List<FaultWindow> windows = faults == null ? List.of() : faults;
      List<ProbeResult> probes = List.of();
      if (history != null) {
        probes = ProbeResult.of(history);
        ops = OpTimeline.of(history).countsByF();
        if (faults == null) {
          windows = FaultWindows.of(history, nodes);
        }
      }
      return new ScenarioResult(
          name,
          skipped,
          seed,
          backend,
          nodes,
          start,
          end,
          phases,
          windows,
          ops,
          checks,
          convergence,
          new ReplicationLag(lag),
          criteria,
          probes);
    }
  }
}
