package dev.meld.node;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of commands by name, local writes, errors by reason and peer refusals by reason, since
 * the replica opened.
 */
final class Metrics {

  /* Counted on every command: a hash map of mutable counts, not a sorted map of boxed ones. */
  private final Map<String, long[]> commands = new HashMap<>();
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, Long> refusals = new TreeMap<>();
  private long writes;

  void command(String name) {
    long[] count = commands.get(name);
    if (count == null) {
      commands.put(name, count = new long[1]);
    }
    count[0]++;
  }

  void write() {
    writes++;
  }

  /** Counts an error; {@code reason} is a short stable name such as {@code malformed-delta}. */
  void error(String reason) {
    errors.merge(reason, 1L, Long::sum);
  }

  /**
   * Counts a peer message or record refused for what its sender may not do ({@link PeerWrites}):
   * {@code reason} is one of its short stable names, such as {@code non-member}.
   */
  void refusal(String reason) {
    refusals.merge(reason, 1L, Long::sum);
  }

  Map<String, Long> refusals() {
    return Map.copyOf(refusals);
  }

  long refusalCount(String reason) {
    return refusals.getOrDefault(reason, 0L);
  }

  Map<String, Long> commands() {
    Map<String, Long> copy = new HashMap<>();
    commands.forEach((name, count) -> copy.put(name, count[0]));
    return Map.copyOf(copy);
  }

  Map<String, Long> errors() {
    return Map.copyOf(errors);
  }

  long writes() {
    return writes;
  }

  long errorCount(String reason) {
    return errors.getOrDefault(reason, 0L);
  }
}
