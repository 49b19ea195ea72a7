package dev.meld.chaos.cli;

import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.nemesis.Grudges;
import dev.meld.chaos.scenario.NemesisCatalog;
import dev.meld.chaos.scenario.Scenario;
import dev.meld.chaos.scenario.Scenarios;
import dev.meld.chaos.workload.Workloads;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meld-chaos list}: the scenarios, suites, nemeses, workloads, checkers and grudges. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the scenarios, suites, nemeses, workloads, checkers and grudges by name.")
final class ListCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("scenarios:");
    for (Scenario s : Scenarios.all()) {
      out.printf(
          "  %-23s %-12s %d nodes  %s%n", s.name(), s.workload(), s.nodes(), s.description());
    }
    out.println("suites:");
    for (String suite : Scenarios.suites()) {
      out.printf("  %-23s %s%n", suite, String.join(" ", Scenarios.suite(suite)));
    }
    out.println("nemeses:");
    for (NemesisCatalog.Entry e : NemesisCatalog.entries()) {
      out.printf("  %-23s %s%n", e.name(), e.description());
    }
    out.println("workloads:");
    for (String w : Workloads.names()) {
      out.printf("  %-23s checked by %s%n", w, String.join(", ", Workloads.named(w).checkers().keySet()));
    }
    out.println("checkers:");
    for (String name : Checkers.names()) {
      out.printf("  %-23s %s%n", name, Checkers.describe(name));
    }
    out.println("grudges:");
    for (String name : Grudges.names()) {
      out.printf("  %s%n", name);
    }
  }
}
