package dev.meld.chaos.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code meld-chaos} command line: {@code run} (scenarios against a cluster), {@code check} (a
 * history against checkers) and {@code list}. Each subcommand is a class listed in {@code
 * subcommands} below.
 *
 * <p>Exit codes, shared by every subcommand: {@value #VALID} valid, {@value #INVALID} invalid,
 * {@value #BAD_INPUT} bad input or usage (a missing or malformed file, an unknown name), {@value
 * #UNKNOWN} when a checker could not decide (Jepsen's {@code "unknown"}, e.g. a set never read).
 */
@Command(
    name = "meld-chaos",
    mixinStandardHelpOptions = true,
    description = "Meld's chaos bench: run scenarios against a cluster, judge histories with Jepsen's checkers.",
    subcommands = {
      RunCommand.class,
      CheckCommand.class,
      ListCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MeldChaos implements Runnable {

  public static final int VALID = 0;
  public static final int INVALID = 1;
  public static final int BAD_INPUT = 2;
  public static final int UNKNOWN = 3;

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(out, err, args));
  }

  /** Runs the command line in-process, writing to the given streams; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new MeldChaos());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
          return BAD_INPUT;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
