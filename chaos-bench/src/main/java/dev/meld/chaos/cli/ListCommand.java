package dev.meld.chaos.cli;

import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.nemesis.Grudges;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meld-chaos list}: the checkers and grudges known by name. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the checkers and grudges by name.")
final class ListCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("checkers:");
    for (String name : Checkers.names()) {
      out.printf("  %-17s %s%n", name, Checkers.describe(name));
    }
    out.println("grudges:");
    for (String name : Grudges.names()) {
      out.printf("  %s%n", name);
    }
  }
}
