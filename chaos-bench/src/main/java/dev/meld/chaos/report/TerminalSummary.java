package dev.meld.chaos.report;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary printed after a suite: a compact table per scenario (nodes, duration, ops by outcome,
 * faults, each checker's verdict, convergence after the heal, replication lag quantiles, any
 * violation), then the suite's verdict and exit code. ANSI colour only when asked (on a terminal).
 *
 * <pre>
 * == counter-partition ===================================================== VALID
 *   nodes        5: n1 n2 n3 n4 n5   backend local   seed 42
 *   duration     62.08 s
 *   ops          11,164: 10,827 ok, 314 fail, 23 info
 *   faults       4: partition, kill, pause, clock (all verified)
 *   checkers     counter VALID
 *   convergence  1.83 s after heal; root digests equal; final reads equal
 *   repl. lag    p50 7.00 ms, p95 40.0 ms, p99 40.0 ms (4 samples)
 *
 * suite: 1 scenario: 1 valid, 0 invalid, 0 unknown, 0 skipped -&gt; VALID (exit 0)
 * </pre>
 */
public final class TerminalSummary {

  private static final int WIDTH = 80;
  private static final String LABEL = "  %-13s";

  private final boolean colour;
  private final StringBuilder out = new StringBuilder();

  private TerminalSummary(boolean colour) {
    this.colour = colour;
  }

  /** The summary of every scenario and the suite, lines ending in {@code \n}. */
  public static String render(List<ScenarioResult> results, boolean colour) {
    TerminalSummary s = new TerminalSummary(colour);
    results.forEach(s::scenario);
    s.suite(results);
    return s.out.toString();
  }

  private void scenario(ScenarioResult r) {
    String word = SuiteVerdict.word(r);
    String head = "== " + Terminal.clean(r.name()) + " ";
    int fill = Math.max(2, WIDTH - head.length() - word.length() - 1);
    out.append(head).append("=".repeat(fill)).append(' ').append(paint(word)).append('\n');
    if (r.wasSkipped()) {
      row("skipped", Terminal.clean(r.skipped()));
      out.append('\n');
      return;
    }
    row(
        "nodes",
        r.nodes().size()
            + (r.nodes().isEmpty() ? "" : ": " + Terminal.clean(String.join(" ", r.nodes())))
            + "   backend "
            + (r.backend() == null ? "?" : Terminal.clean(r.backend()))
            + "   seed "
            + r.seed());
    row("duration", r.duration() == null ? "unknown" : Fmt.duration(r.duration().toNanos()));
    OpCounts ops = r.totalOps();
    row(
        "ops",
        Fmt.count(ops.total())
            + ": "
            + Fmt.count(ops.ok())
            + " ok, "
            + Fmt.count(ops.fail())
            + " fail, "
            + Fmt.count(ops.info())
            + " info");
    row("faults", faults(r));
    row("checkers", checkers(r));
    row("convergence", convergence(r));
    ReplicationLag lag = r.replicationLag();
    row(
        "repl. lag",
        lag.count() == 0
            ? "no samples"
            : "p50 "
                + Fmt.duration(lag.p50Ns())
                + ", p95 "
                + Fmt.duration(lag.p95Ns())
                + ", p99 "
                + Fmt.duration(lag.p99Ns())
                + " ("
                + Fmt.count(lag.count())
                + " samples)");
    List<String> violations = r.violations();
    for (int i = 0; i < violations.size(); i++) {
      row(i == 0 ? "violations" : "", paint(Validity.FALSE, Terminal.clean(violations.get(i))));
    }
    out.append('\n');
  }

  private static String faults(ScenarioResult r) {
    if (r.faults().isEmpty()) {
      return "none";
    }
    Map<String, Integer> kinds = new LinkedHashMap<>();
    r.faults().forEach(w -> kinds.merge(w.kind(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    kinds.forEach((kind, n) -> parts.add(n == 1 ? kind : kind + " x" + n));
    long failed = r.faults().stream().filter(FaultWindow::failedVerification).count();
    long unchecked = r.faults().stream().filter(w -> w.verified() == null).count();
    String verified =
        failed > 0
            ? failed + " NOT VERIFIED"
            : unchecked == 0 ? "all verified" : unchecked + " not checked";
    return r.faults().size()
        + ": "
        + Terminal.clean(String.join(", ", parts))
        + " ("
        + verified
        + ")";
  }

  private String checkers(ScenarioResult r) {
    if (r.checks().isEmpty()) {
      return "none ran";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, CheckResult> e : r.checks().entrySet()) {
      CheckResult c = e.getValue();
      List<String> counts = c.valid() == Validity.TRUE ? List.of() : CheckSummary.keyCounts(c, 2);
      parts.add(
          Terminal.clean(e.getKey())
              + " "
              + paint(c.valid(), SuiteVerdict.word(c.valid()))
              + (counts.isEmpty() ? "" : " (" + Terminal.clean(String.join(", ", counts)) + ")"));
    }
    return String.join(", ", parts);
  }

  private static String convergence(ScenarioResult r) {
    Convergence c = r.convergence();
    if (c == null) {
      return "not measured";
    }
    String when =
        c.convergedNs() == null
            ? "NOT converged"
            : c.healNs() == null ? "converged" : Fmt.duration(c.convergenceNs()) + " after heal";
    return when
        + "; root digests "
        + (c.digestsEqual() ? "equal" : "DIFFER")
        + "; final reads "
        + (c.readsEqual() ? "equal" : "DIFFER");
  }

  private void suite(List<ScenarioResult> results) {
    Validity v = SuiteVerdict.of(results);
    long skipped = results.stream().filter(ScenarioResult::wasSkipped).count();
    long valid = results.stream().filter(r -> r.valid() == Validity.TRUE).count();
    long invalid = results.stream().filter(r -> r.valid() == Validity.FALSE).count();
    long unknown = results.size() - valid - invalid - skipped;
    out.append(
            String.format(
                Locale.ROOT,
                "suite: %d scenario%s: %d valid, %d invalid, %d unknown, %d skipped -> ",
                results.size(),
                results.size() == 1 ? "" : "s",
                valid,
                invalid,
                unknown,
                skipped))
        .append(paint(SuiteVerdict.word(v)))
        .append(" (exit ")
        .append(SuiteVerdict.exitCode(results))
        .append(")\n");
  }

  private void row(String label, String value) {
    out.append(String.format(Locale.ROOT, LABEL, label)).append(value).append('\n');
  }

  private String paint(String word) {
    Validity v =
        word.equals("VALID")
            ? Validity.TRUE
            : word.equals("INVALID") ? Validity.FALSE : Validity.UNKNOWN;
    return word.equals("SKIPPED") ? ansi("90", word) : paint(v, word);
  }

  private String paint(Validity v, String text) {
    return ansi(v == Validity.TRUE ? "1;32" : v == Validity.FALSE ? "1;31" : "1;33", text);
  }

  private String ansi(String code, String text) {
    return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
