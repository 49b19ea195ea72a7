package dev.meld.chaos.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON Lines history: one op per line, blank lines ignored.
 *
 * <p>Every problem is a {@link HistoryFormatException} whose message starts with {@code file:line:}
 * and says what was found and what was expected. A line longer than {@link #maxLineChars} is
 * rejected before it is buffered whole.
 *
 * <p>A recorder flushes after every op, so a run that crashed leaves whole lines, except when the
 * crash hit the middle of writing one: with {@link #allowTruncatedTail(boolean)}, a last line that
 * has no line break and does not parse is dropped (and counted in {@link #droppedTail()}) instead
 * of failing the read.
 */
public final class HistoryReader {

  /** The default line limit: 64 Mi characters, far above any read of a chaos run. */
  public static final int DEFAULT_MAX_LINE_CHARS = 64 << 20;

  private int maxLineChars = DEFAULT_MAX_LINE_CHARS;
  private boolean allowTruncatedTail;
  private boolean droppedTail;

  /** Sets the longest line accepted, in characters. */
  public HistoryReader maxLineChars(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxLineChars: " + max + " (expected: >= 1)");
    }
    this.maxLineChars = max;
    return this;
  }

  /** Whether a final line cut short by a crash is dropped rather than rejected. */
  public HistoryReader allowTruncatedTail(boolean allow) {
    this.allowTruncatedTail = allow;
    return this;
  }

  /** True if the last read dropped a truncated final line. */
  public boolean droppedTail() {
    return droppedTail;
  }

  /** Reads a history file with the default settings. */
  public static History readFile(Path file) throws IOException {
    return new HistoryReader().read(file);
  }

  /** Reads a history file. */
  public History read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  /** Reads a history from a character stream; {@code source} names it in messages. */
  public History read(Reader in, String source) throws IOException {
    droppedTail = false;
    BufferedReader reader =
        in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
    List<Op> ops = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    long lineNumber = 0;
    while (true) {
      line.setLength(0);
      int terminated = readLine(reader, line, source, lineNumber + 1);
      if (terminated < 0 && line.length() == 0) {
        break;
      }
      lineNumber++;
      if (line.toString().isBlank()) {
        continue;
      }
      Op previous = ops.isEmpty() ? null : ops.get(ops.size() - 1);
      try {
        ops.add(
            OpJson.parse(
                line.toString(),
                previous == null ? 0 : previous.index() + 1,
                previous == null ? 0 : previous.time()));
        lines.add(lineNumber);
      } catch (IllegalArgumentException e) {
        if (terminated < 0 && allowTruncatedTail) {
          droppedTail = true;
          break;
        }
        throw new HistoryFormatException(source, lineNumber, e.getMessage(), e);
      }
      if (terminated < 0) {
        break;
      }
    }
    try {
      return History.of(ops);
    } catch (MalformedHistoryException e) {
      throw new HistoryFormatException(source, lines.get(e.position()), e.getMessage(), e);
    }
  }

  /** Appends one line to {@code line}; returns 1 if a line break ended it, -1 at end of input. */
  private int readLine(BufferedReader reader, StringBuilder line, String source, long number)
      throws IOException {
    while (true) {
      int c = reader.read();
      if (c < 0) {
        return -1;
      }
      if (c == '\n') {
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
          line.setLength(line.length() - 1);
        }
        return 1;
      }
      if (line.length() >= maxLineChars) {
        throw new HistoryFormatException(
            source,
            number,
            "line length: > " + maxLineChars + " characters (expected: <= " + maxLineChars + ")",
            null);
      }
      line.append((char) c);
    }
  }
}
