package dev.meld.chaos.history;

import java.io.IOException;

/** A history file that cannot be read; the message starts with {@code source:line:}. */
public final class HistoryFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;

  HistoryFormatException(String source, long line, String detail, Throwable cause) {
    super(source + ":" + line + ": " + detail, cause);
    this.source = source;
    this.line = line;
  }

  /** The file (or other source) name. */
  public String source() {
    return source;
  }

  /** The 1-based line number of the offending line. */
  public long line() {
    return line;
  }
}
