package dev.meld.node;

import dev.meld.node.command.Command;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of commands by name, local writes, errors by reason and peer refusals by reason, since
 * the replica opened.
 */
final class Metrics {

  /* Counted on every command: by the command's class (its hash is the object's own, kept in its
   * header), with the name asked once per class; keyed by name, every count hashed the name's
   * string again (2-3% of the replica thread's samples under pipelined SADDs). */
  private static final class Count {
    final String name;
    long n;

    Count(String name) {
      this.name = name;
    }
  }

  private final Map<Class<?>, Count> commands = new HashMap<>();
  private final Map<String, Long> errors = new TreeMap<>();
  private final Map<String, Long> refusals = new TreeMap<>();
  private long writes;

  void command(Command command) {
    Count count = commands.get(command.getClass());
    if (count == null) {
      commands.put(command.getClass(), count = new Count(command.name()));
    }
    count.n++;
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
    commands.values().forEach(count -> copy.merge(count.name, count.n, Long::sum));
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
