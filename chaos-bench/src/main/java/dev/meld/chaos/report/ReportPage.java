package dev.meld.chaos.report;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import java.util.List;

/**
 * Renders {@code report.html} for one scenario: one self-contained page (inline CSS and SVG, no
 * script, no external resource) with the verdict and any violations, summary cards, the latency,
 * throughput and latency-quantile charts with the fault windows shaded, then the checkers, the
 * fault timeline, convergence, per-node and per-f tables. Every string from the run is escaped.
 */
final class ReportPage {

  private ReportPage() {}

  /** The page of a result; {@code history} may be null (skipped, or not kept), then no charts. */
  static String render(ScenarioResult r, History history) {
    OpTimeline t = OpTimeline.of(history == null ? History.empty() : history);
    Html h = new Html();
    PageStyle.head(h, "meld chaos: " + r.name());
    h.open("body");
    header(h, r);
    if (r.wasSkipped()) {
      h.el("p", "Skipped: " + r.skipped(), "class", "skipped");
      footer(h);
      return h.close("body").close("html").toString();
    }
    List<String> violations = r.violations();
    if (!violations.isEmpty()) {
      h.open("section", "class", "violations", "id", "violations")
          .el("h2", "Violations")
          .open("ul");
      violations.forEach(v -> h.el("li", v));
      h.close("ul").close("section");
    }
    cards(h, r);
    charts(h, r, t, history != null);
    StepTables.criteria(h, r);
    ReportTables.checkers(h, r);
    ReportTables.faults(h, r);
    StepTables.probes(h, r);
    ReportTables.convergence(h, r);
    ReportTables.nodes(h, r, t);
    ReportTables.ops(h, r, t);
    footer(h);
    return h.close("body").close("html").toString();
  }

  private static void header(Html h, ScenarioResult r) {
    h.open("header").open("h1").text(r.name() + " ");
    PageStyle.badge(h, SuiteVerdict.word(r));
    h.close("h1").open("p", "class", "facts");
    fact(h, "seed", Long.toString(r.seed()));
    fact(h, "backend", r.backend() == null ? "?" : r.backend());
    fact(
        h,
        "nodes",
        r.nodes().size() + (r.nodes().isEmpty() ? "" : " (" + String.join(", ", r.nodes()) + ")"));
    if (r.start() != null) {
      fact(h, "start", r.start().toString());
    }
    if (r.duration() != null) {
      fact(h, "duration", Fmt.duration(r.duration().toNanos()));
    }
    h.close("p").close("header");
  }

  private static void fact(Html h, String key, String value) {
    h.text(key + " ").el("b", value).text("   ");
  }

  private static void cards(Html h, ScenarioResult r) {
    OpCounts ops = r.totalOps();
    h.open("section", "class", "cards", "id", "summary");
    card(
        h,
        "ops ok / fail / info",
        Fmt.count(ops.ok()) + " / " + Fmt.count(ops.fail()) + " / " + Fmt.count(ops.info()));
    long unverified = r.faults().stream().filter(FaultWindow::failedVerification).count();
    card(
        h,
        "faults",
        r.faults().size() + (unverified > 0 ? " (" + unverified + " not verified)" : ""));
    long valid = r.checks().values().stream().filter(c -> c.valid() == Validity.TRUE).count();
    card(h, "checkers valid", valid + " of " + r.checks().size());
    card(h, "convergence", convergence(r));
    ReplicationLag lag = r.replicationLag();
    card(
        h,
        "replication lag p50 / p95 / p99",
        lag.count() == 0
            ? "no samples"
            : Fmt.duration(lag.p50Ns())
                + " / "
                + Fmt.duration(lag.p95Ns())
                + " / "
                + Fmt.duration(lag.p99Ns()));
    h.close("section");
  }

  /** One phrase: {@code 1.83 s after heal}, {@code not converged}, {@code not measured}. */
  static String convergence(ScenarioResult r) {
    Convergence c = r.convergence();
    if (c == null) {
      return "not measured";
    }
    if (!c.converged()) {
      return "NOT converged";
    }
    return c.healNs() == null ? "converged" : Fmt.duration(c.convergenceNs()) + " after heal";
  }

  private static void card(Html h, String key, String value) {
    h.open("div", "class", "card")
        .el("div", key, "class", "k")
        .el("div", value, "class", "v")
        .close("div");
  }

  private static void charts(Html h, ScenarioResult r, OpTimeline t, boolean haveHistory) {
    h.open("section", "id", "charts");
    if (!haveHistory) {
      h.el("h2", "Charts")
          .el("p", "No history was given, so there are no charts.")
          .close("section");
      return;
    }
    ChartFrame frame = ChartFrame.of(r, t);
    h.el("h2", "Latency");
    figure(h, html -> LatencyChart.render(html, t, frame));
    h.el("h2", "Throughput");
    figure(h, html -> ThroughputChart.render(html, t, frame));
    h.el("h2", "Latency quantiles");
    figure(h, html -> QuantileChart.render(html, t, frame));
    h.el(
        "p",
        "Shaded: the fault windows, from the nemesis op that began each fault to the one that"
            + " ended it; the lanes above each chart name them, the band on top shows the phases.",
        "class",
        "facts");
    h.close("section");
  }

  private interface Chart {
    String render(Html h);
  }

  private static void figure(Html h, Chart chart) {
    h.open("figure");
    String caption = chart.render(h);
    h.el("figcaption", caption).close("figure");
  }

  private static void footer(Html h) {
    h.el(
        "footer",
        "Generated by meld-chaos. Times are seconds since the start of the run, the clock of the"
            + " history's \"time\". The raw history is history.jsonl and the data of this page is"
            + " results.json, beside this file.");
  }
}
