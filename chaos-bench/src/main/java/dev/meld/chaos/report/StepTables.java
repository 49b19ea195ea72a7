package dev.meld.chaos.report;

/**
 * The scenario-file sections of {@code report.html}: each numeric criterion with its measured value
 * and verdict, and the probe of every node after each fault step (health, then convergence).
 */
final class StepTables {

  private StepTables() {}

  static void criteria(Html h, ScenarioResult r) {
    if (r.criteria().isEmpty()) {
      return;
    }
    h.open("section", "id", "criteria").el("h2", "Criteria");
    h.tableWithHead("criteria-table", "criterion", "measured", "verdict");
    for (CriterionResult c : r.criteria()) {
      h.open("tr", "class", c.holds() ? null : "unverified");
      h.el("td", c.criterion());
      h.el("td", c.measuredText(), "class", "n");
      h.el("td", c.holds() ? "holds" : "FAILS");
      h.close("tr");
    }
    h.close("tbody").close("table").close("section");
  }

  static void probes(Html h, ScenarioResult r) {
    if (r.probes().isEmpty()) {
      return;
    }
    h.open("section", "id", "probes").el("h2", "Probes after each step");
    String[] columns = new String[3 + r.nodes().size() + 1];
    columns[0] = "time";
    columns[1] = "after";
    columns[2] = "lane";
    for (int i = 0; i < r.nodes().size(); i++) {
      columns[3 + i] = r.nodes().get(i);
    }
    columns[columns.length - 1] = "converged";
    h.tableWithHead("probe-table", columns);
    for (ProbeResult p : r.probes()) {
      h.open("tr", "class", p.answered() < r.nodes().size() ? "unverified" : null);
      h.el("td", Fmt.seconds(p.timeNs()), "class", "n");
      h.el("td", p.after());
      h.el("td", Integer.toString(p.lane()), "class", "n");
      for (String node : r.nodes()) {
        h.el("td", p.health(node));
      }
      h.el("td", p.converged() ? "yes" : "no (" + p.answered() + " of " + r.nodes().size() + " answered)");
      h.close("tr");
    }
    h.close("tbody").close("table");
    h.el(
        "p",
        "After each step of the fault schedule every node is asked for /health (ready, live peers"
            + " seen, root digest), then whether all answered with one digest. A probe right after a"
            + " fault is expected to show it; the run's verdict comes from the checkers and the"
            + " final convergence, not from these.",
        "class",
        "facts");
    h.close("section");
  }
}
