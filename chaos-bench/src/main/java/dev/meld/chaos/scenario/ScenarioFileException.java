package dev.meld.chaos.scenario;

/**
 * A scenario file that cannot be used, with where and why: {@code file:line: field: value
 * (expected: ...)}, as the history reader reports its problems.
 */
public final class ScenarioFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String field;

  ScenarioFileException(String source, int line, String field, String problem) {
    super(source + ":" + (line > 0 ? line : "?") + ": " + field + ": " + problem);
    this.source = source;
    this.line = line;
    this.field = field;
  }

  /** The file (or resource) name. */
  public String source() {
    return source;
  }

  /** The 1-based line of the field, or 0 if unknown. */
  public int line() {
    return line;
  }

  /** The field's path, e.g. {@code lanes[0].fault}. */
  public String field() {
    return field;
  }
}
