package dev.meld.chaos.cli;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.checker.Independent;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.HistoryReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meld-chaos check --checker NAME [--checker NAME ...] --history FILE}: judges a JSONL
 * history and prints the result as JSON. Several checkers are composed, each result under its name.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Judge a history (JSON Lines) with one or more checkers; print JSON.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid", "1:invalid", "2:bad input or usage", "3:unknown"})
final class CheckCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--checker",
      required = true,
      paramLabel = "NAME",
      description = "A checker (repeatable); `meld-chaos list` names them.")
  private List<String> checkers;

  @Option(
      names = "--history",
      required = true,
      paramLabel = "FILE",
      description = "The history, one JSON op per line.")
  private Path history;

  @Option(
      names = "--independent",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "Per-key checking of [k, v] values: auto (when every client value is a"
              + " pair), on, off. Default: ${DEFAULT-VALUE}.")
  private String independent;

  @Option(
      names = "--allow-truncated-tail",
      description = "Drop a last line cut short by a crash instead of failing.")
  private boolean allowTruncatedTail;

  @Override
  public Integer call() {
    CheckResult result;
    try {
      Checker checker = keyed(Checkers.of(checkers));
      History h = new HistoryReader().allowTruncatedTail(allowTruncatedTail).read(history);
      result = checker.check(h);
    } catch (NoSuchFileException e) {
      return badInput("history: " + history + ": no such file");
    } catch (IOException | IllegalArgumentException e) {
      return badInput(e.getMessage());
    }
    spec.commandLine().getOut().println(result.toJson());
    return result.valid() == Validity.TRUE
        ? MeldChaos.VALID
        : result.valid() == Validity.FALSE ? MeldChaos.INVALID : MeldChaos.UNKNOWN;
  }

  private Checker keyed(Checker checker) {
    switch (independent) {
      case "auto":
        return Independent.auto(checker);
      case "on":
        return Independent.of(checker);
      case "off":
        return checker;
      default:
        throw new IllegalArgumentException(
            "--independent: \"" + independent + "\" (expected: auto, on or off)");
    }
  }

  private int badInput(String message) {
    spec.commandLine().getErr().println("meld-chaos check: " + message);
    return MeldChaos.BAD_INPUT;
  }
}
