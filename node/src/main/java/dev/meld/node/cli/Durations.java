package dev.meld.node.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations such as {@code 500ms}, {@code 10s}, {@code 2m}, or plain milliseconds. */
final class Durations implements ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    return millis(value);
  }

  /** Milliseconds of {@code text}: a number with an optional unit {@code ms}, {@code s}, {@code m}. */
  static long millis(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    String digits = s;
    if (s.endsWith("ms")) {
      digits = s.substring(0, s.length() - 2);
    } else if (s.endsWith("s")) {
      unit = 1_000;
      digits = s.substring(0, s.length() - 1);
    } else if (s.endsWith("m")) {
      unit = 60_000;
      digits = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(digits.trim());
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "duration: '" + text + "' (expected: a number of ms, or with a unit: 500ms, 10s, 2m)");
    }
  }
}
