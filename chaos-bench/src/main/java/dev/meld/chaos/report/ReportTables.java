package dev.meld.chaos.report;

import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The table sections of {@code report.html}: checkers, faults, convergence, nodes and ops. */
final class ReportTables {

  /** Longest checker JSON shown on the page; results.json has all of it. */
  static final int MAX_JSON_CHARS = 200_000;

  private static final int ERRORS_SHOWN = 10;
  private static final int VALUE_CHARS = 160;

  private ReportTables() {}

  static void checkers(Html h, ScenarioResult r) {
    h.open("section", "id", "checkers").el("h2", "Checkers");
    if (r.checks().isEmpty()) {
      h.el("p", "No checker ran.");
    }
    r.checks()
        .forEach(
            (name, result) -> {
              h.open(
                      "details",
                      "class",
                      "checker",
                      "open",
                      result.valid() == Validity.TRUE ? null : "open")
                  .open("summary")
                  .el("b", name)
                  .text(" ");
              PageStyle.badge(h, SuiteVerdict.word(result.valid()));
              List<String> counts = CheckSummary.keyCounts(result, 8);
              if (!counts.isEmpty()) {
                h.el("span", String.join(", ", counts), "class", "counts");
              }
              h.close("summary");
              Object errors = result.get("errors");
              if (errors instanceof Collection && !((Collection<?>) errors).isEmpty()) {
                Collection<?> all = (Collection<?>) errors;
                h.el(
                    "p",
                    "errors ("
                        + Fmt.count(all.size())
                        + (all.size() > ERRORS_SHOWN ? ", first " + ERRORS_SHOWN : "")
                        + "):");
                h.open("ol", "class", "errors");
                all.stream().limit(ERRORS_SHOWN).forEach(e -> h.el("li", clip(json(e), 400)));
                h.close("ol");
              }
              h.el("pre", clip(result.toJson(), MAX_JSON_CHARS)).close("details");
            });
    h.close("section");
  }

  static void faults(Html h, ScenarioResult r) {
    h.open("section", "id", "faults").el("h2", "Fault timeline");
    if (r.faults().isEmpty()) {
      h.el("p", "No fault was injected.").close("section");
      return;
    }
    h.tableWithHead(
        "fault-table",
        "start",
        "end",
        "duration",
        "kind",
        "nemesis f",
        "targets",
        "verified",
        "detail");
    for (FaultWindow w : r.faults()) {
      h.open("tr", "class", w.failedVerification() ? "unverified" : null);
      h.el("td", Fmt.seconds(w.startNs()), "class", "n");
      h.el("td", w.endNs() == null ? "never healed" : Fmt.seconds(w.endNs()), "class", "n");
      h.el("td", w.endNs() == null ? "" : Fmt.duration(w.endNs() - w.startNs()), "class", "n");
      h.open("td")
          .open("span", "class", "swatch", "style", "background:" + Palette.faultColour(w.kind()))
          .close("span")
          .text(w.kind())
          .close("td");
      h.el("td", w.startF() + (w.stopF() == null ? "" : " \u2192 " + w.stopF()));
      h.el(
          "td",
          w.targets().isEmpty()
              ? clip(json(w.value()), VALUE_CHARS)
              : String.join(" ", w.targets()));
      h.el("td", w.verified() == null ? "not checked" : w.verified() ? "yes" : "NO");
      h.el("td", w.detail() == null ? "" : w.detail());
      h.close("tr");
    }
    h.close("tbody").close("table").close("section");
  }

  static void convergence(Html h, ScenarioResult r) {
    h.open("section", "id", "convergence").el("h2", "Convergence");
    Convergence c = r.convergence();
    if (c == null) {
      h.el("p", "Not measured.").close("section");
      return;
    }
    h.open("table").open("tbody");
    row(h, "last heal", c.healNs() == null ? "no fault" : Fmt.seconds(c.healNs()));
    row(h, "converged", c.convergedNs() == null ? "NEVER seen" : Fmt.seconds(c.convergedNs()));
    row(
        h,
        "time from heal to converged",
        c.convergenceNs() == null ? "" : Fmt.duration(c.convergenceNs()));
    row(h, "root digests equal", c.digestsEqual() ? "yes" : "NO");
    row(h, "final reads equal", c.readsEqual() ? "yes" : "NO");
    h.close("tbody").close("table");
    h.el("p", "Per node, see Nodes below.", "class", "facts").close("section");
  }

  private static void row(Html h, String key, String value) {
    h.open("tr").el("th", key).el("td", value).close("tr");
  }

  static void nodes(Html h, ScenarioResult r, OpTimeline t) {
    List<String> names = new ArrayList<>(r.nodes());
    t.nodes.stream().filter(n -> !names.contains(n)).forEach(names::add);
    Convergence c = r.convergence();
    if (c != null) {
      c.rootDigests().keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
      c.finalReads().keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
    }
    h.open("section", "id", "nodes").el("h2", "Nodes");
    if (names.isEmpty()) {
      h.el("p", "No node is named.").close("section");
      return;
    }
    int[] nameOf = t.nodes.stream().mapToInt(names::indexOf).toArray();
    int[] key = new int[t.size];
    for (int i = 0; i < t.size; i++) {
      key[i] = t.node[i] < 0 ? -1 : nameOf[t.node[i]];
    }
    Stats stats = Stats.of(t, key, names.size());
    h.tableWithHead(
        "node-table",
        "node",
        "ok",
        "fail",
        "info",
        "p50 (ok)",
        "p99 (ok)",
        "faults",
        "root digest",
        "final read");
    for (int n = 0; n < names.size(); n++) {
      String node = names.get(n);
      h.open("tr").el("td", node);
      stats.cells(h, n);
      Map<String, Integer> kinds = new TreeMap<>();
      r.faults().stream()
          .filter(w -> w.targets().contains(node))
          .forEach(w -> kinds.merge(w.kind(), 1, Integer::sum));
      List<String> faulted = new ArrayList<>();
      kinds.forEach((kind, times) -> faulted.add(times == 1 ? kind : kind + " \u00d7" + times));
      h.el("td", String.join(", ", faulted));
      h.el(
          "td",
          c == null || !c.rootDigests().containsKey(node)
              ? ""
              : String.valueOf(c.rootDigests().get(node)));
      h.el(
          "td",
          c == null || !c.finalReads().containsKey(node)
              ? ""
              : clip(json(c.finalReads().get(node)), VALUE_CHARS));
      h.close("tr");
    }
    h.close("tbody").close("table").close("section");
  }

  static void ops(Html h, ScenarioResult r, OpTimeline t) {
    h.open("section", "id", "ops").el("h2", "Operations by f");
    if (r.ops().isEmpty()) {
      h.el("p", "No client operation.").close("section");
      return;
    }
    List<String> fs = new ArrayList<>(r.ops().keySet());
    int[] rowOf = t.fs.stream().mapToInt(fs::indexOf).toArray();
    int[] key = new int[t.size];
    for (int i = 0; i < t.size; i++) {
      key[i] = rowOf[t.f[i]];
    }
    Stats stats = Stats.of(t, key, fs.size());
    h.tableWithHead(null, "f", "ok", "fail", "info", "p50 (ok)", "p99 (ok)");
    for (int k = 0; k < fs.size(); k++) {
      OpCounts counts = r.ops().get(fs.get(k));
      h.open("tr").el("td", fs.get(k));
      // The counts of results.json (never-completed invocations are info), latencies from the
      // history.
      stats.cells(h, k, counts);
      h.close("tr");
    }
    h.close("tbody").close("table").close("section");
  }

  /** Outcome counts and ok latencies per key (a node, an f). */
  private static final class Stats {
    final long[][] counts;
    final long[][] okLatencies;

    private Stats(long[][] counts, long[][] okLatencies) {
      this.counts = counts;
      this.okLatencies = okLatencies;
    }

    static Stats of(OpTimeline t, int[] key, int keys) {
      long[][] counts = new long[keys][3];
      int[] okCount = new int[keys];
      for (int i = 0; i < t.size; i++) {
        if (key[i] >= 0) {
          counts[key[i]][t.type[i]]++;
          okCount[key[i]] += t.type[i] == OpTimeline.OK ? 1 : 0;
        }
      }
      long[][] lat = new long[keys][];
      for (int k = 0; k < keys; k++) {
        lat[k] = new long[okCount[k]];
      }
      int[] fill = new int[keys];
      for (int i = 0; i < t.size; i++) {
        if (key[i] >= 0 && t.type[i] == OpTimeline.OK) {
          lat[key[i]][fill[key[i]]++] = t.latencyNs[i];
        }
      }
      for (long[] l : lat) {
        Arrays.sort(l);
      }
      return new Stats(counts, lat);
    }

    void cells(Html h, int k) {
      cells(h, k, new OpCounts(counts[k][0], counts[k][1], counts[k][2]));
    }

    void cells(Html h, int k, OpCounts c) {
      h.el("td", Fmt.count(c.ok()), "class", "n");
      h.el("td", Fmt.count(c.fail()), "class", "n");
      h.el("td", Fmt.count(c.info()), "class", "n");
      long[] l = okLatencies[k];
      h.el("td", l.length == 0 ? "" : Fmt.duration(Quantiles.of(l, 0.5)), "class", "n");
      h.el("td", l.length == 0 ? "" : Fmt.duration(Quantiles.of(l, 0.99)), "class", "n");
    }
  }

  /** Compact JSON of a value of a result: canonical values, ops and checker results. */
  private static String json(Object value) {
    return Values.render(value);
  }

  /** At most {@code max} characters, saying how many were cut. */
  static String clip(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, max)
        + "\u2026 ("
        + Fmt.count(s.length() - max)
        + " more characters in results.json)";
  }
}
