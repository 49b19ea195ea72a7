package dev.meld.node.resp;

import dev.meld.crdt.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The arguments of one request, the command name first, with the parsing rules Redis applies to
 * them. The arrays are the request's own and are not copied again.
 */
final class Args {
  private final List<byte[]> args;

  Args(List<byte[]> args) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("args: 0 (expected: a command name at least)");
    }
    this.args = args;
  }

  /** How many arguments, the command name included. */
  int size() {
    return args.size();
  }

  /** The command name in lower case, as Redis reports it in errors and {@code COMMAND}. */
  String name() {
    return lower(0);
  }

  byte[] bytes(int i) {
    return args.get(i);
  }

  Bytes key(int i) {
    return Bytes.of(args.get(i));
  }

  String string(int i) {
    return new String(args.get(i), StandardCharsets.UTF_8);
  }

  String lower(int i) {
    return string(i).toLowerCase(Locale.ROOT);
  }

  /** Whether argument {@code i} is {@code word}, ignoring ASCII case. */
  boolean is(int i, String word) {
    return string(i).equalsIgnoreCase(word);
  }

  /**
   * Argument {@code i} as a 64-bit integer, or {@code ERR value is not an integer or out of range}.
   */
  long integer(int i) {
    return parseLong(args.get(i), CommandException::notAnInteger);
  }

  /**
   * Redis' {@code string2ll}: an optional minus sign and decimal digits with no leading zero (only
   * {@code 0} itself starts with one), no blanks, no plus sign, within 64 bits.
   */
  static long parseLong(byte[] s, java.util.function.Supplier<CommandException> error) {
    int n = s.length;
    if (n == 0 || n > 20) {
      throw error.get();
    }
    if (n == 1 && s[0] == '0') {
      return 0;
    }
    boolean negative = s[0] == '-';
    int i = negative ? 1 : 0;
    if (i == n || s[i] < '1' || s[i] > '9') {
      throw error.get();
    }
    long value = 0; // accumulated negatively: Long.MIN_VALUE has no positive twin
    for (; i < n; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9 || value < (Long.MIN_VALUE + d) / 10) {
        throw error.get();
      }
      value = value * 10 - d;
    }
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        throw error.get();
      }
      return -value;
    }
    return value;
  }

  /** The arguments from {@code from} on, as keys or elements. */
  List<Bytes> bytesFrom(int from) {
    List<Bytes> keys = new ArrayList<>(args.size() - from);
    for (int i = from; i < args.size(); i++) {
      keys.add(Bytes.of(args.get(i)));
    }
    return keys;
  }
}
