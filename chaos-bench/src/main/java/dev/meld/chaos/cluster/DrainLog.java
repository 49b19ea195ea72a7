package dev.meld.chaos.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads what a node logged about its drain when it stopped, and the tail of a node's log. */
public final class DrainLog {

  private static final Pattern RESULT =
      Pattern.compile("(?i)\\bdrain\\b.*\\b(completed|timed out|timed_out|incomplete|failed)\\b");
  private static final Pattern COMPLETED = Pattern.compile("(?i)\\bdrain\\b.*\\bcompleted\\b");

  private DrainLog() {}

  /** The last log line that reports a drain's result, trimmed. */
  public static Optional<String> result(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (RESULT.matcher(lines.get(i)).find()) {
        return Optional.of(lines.get(i).strip());
      }
    }
    return Optional.empty();
  }

  /** Whether a result line says the drain completed (not timed out). */
  public static boolean completed(String line) {
    String lower = line.toLowerCase(Locale.ROOT);
    return COMPLETED.matcher(line).find()
        && !lower.contains("not completed")
        && !lower.contains("timed out");
  }

  /** The last {@code n} lines of a log, joined with {@code " | "}; a note if unreadable. */
  public static String tail(Path log, int n) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
