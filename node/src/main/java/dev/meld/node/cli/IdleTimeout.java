package dev.meld.node.cli;

import picocli.CommandLine.ITypeConverter;

/**
 * Parses {@code --timeout}: a plain number is seconds, as in Redis' {@code timeout} (so {@code
 * --timeout 300} means five minutes, not 300 ms); with a unit it is a duration like any other
 * ({@code 500ms}, {@code 10s}, {@code 5m}).
 */
final class IdleTimeout implements ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    String s = value.trim();
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      return Durations.millis(s + "s");
    }
    return Durations.millis(s);
  }
}
