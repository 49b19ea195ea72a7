package dev.meld.chaos.checker;

import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The op vocabulary the checkers share.
 *
 * <p>{@code add}, {@code remove} and {@code read} as in Jepsen. A {@code final-read} is a read
 * issued on every node after the scenario's quiesce phase (faults healed, replication drained); it
 * is a read for every checker, and the only kind of read that {@code pn-counter-final} and {@code
 * set-removes} judge final state by. Maelstrom's spelling of the same thing, a {@code read} with
 * {@code "final?": true}, is accepted too.
 *
 * <p>{@code add-all} adds many elements in one operation (a pre-fill's {@code SADD} of a thousand
 * members): its value is the array of elements, and to the set checkers it is an add of each of
 * them, invoked and completed when it is.
 */
final class Ops {

  static final String ADD = "add";
  static final String ADD_ALL = "add-all";
  static final String REMOVE = "remove";
  static final String READ = "read";
  static final String FINAL_READ = "final-read";

  /** Jepsen's quantile points for latency distributions. */
  private static final double[] POINTS = {0, 0.5, 0.95, 0.99, 1};

  private Ops() {}

  static boolean isClient(Op op, String f) {
    return op.isClient() && op.f().equals(f);
  }

  /** An {@code add} or an {@code add-all} of a client. */
  static boolean isAdd(Op op) {
    return op.isClient() && (op.f().equals(ADD) || op.f().equals(ADD_ALL));
  }

  /**
   * The elements an add acted on, given its value (or its pair's, {@code History.valueOf}): the
   * one element of an {@code add}, the array of an {@code add-all}.
   */
  static List<?> added(Op op, Object value) {
    if (!op.f().equals(ADD_ALL)) {
      return java.util.Collections.singletonList(value);
    }
    if (!(value instanceof List)) {
      throw new IllegalArgumentException(
          "op " + op.index() + ": add-all value: " + Values.render(value) + " (expected: an array of elements)");
    }
    return (List<?>) value;
  }

  static boolean isRead(Op op) {
    return op.isClient() && (op.f().equals(READ) || op.f().equals(FINAL_READ));
  }

  static boolean isFinalRead(Op op) {
    return op.isClient()
        && (op.f().equals(FINAL_READ)
            || (op.f().equals(READ) && Boolean.TRUE.equals(op.extra("final?"))));
  }

  /** The integer an op acted on (a delta or a counter read). */
  static long integer(Op op, Object value, String what) {
    return Values.asLong(value, "op " + op.index() + ": " + what);
  }

  /** The elements a set read returned. */
  static List<?> elements(Op op, Object value) {
    if (!(value instanceof List)) {
      throw new IllegalArgumentException(
          "op "
              + op.index()
              + ": read value: "
              + Values.render(value)
              + " (expected: an array of elements)");
    }
    return (List<?>) value;
  }

  static long add(Op op, long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "op " + op.index() + ": " + a + " + " + b + " (expected: a sum within a long)", e);
    }
  }

  /** Records, for each element this read returned more than once, its highest multiplicity. */
  static void countDuplicates(List<?> read, Map<Object, Long> highest) {
    Map<Object, Long> counts = new HashMap<>();
    for (Object element : read) {
      counts.merge(element, 1L, Long::sum);
    }
    counts.forEach(
        (element, n) -> {
          if (n > 1) {
            highest.merge(element, n, Math::max);
          }
        });
  }

  /** Duplicates as the sorted {@code [element, highest multiplicity]} pairs results show. */
  static List<List<Object>> pairs(Map<Object, Long> duplicated) {
    List<List<Object>> pairs = new ArrayList<>();
    duplicated.forEach((element, n) -> pairs.add(Arrays.asList(element, n)));
    pairs.sort((a, b) -> Values.ORDER.compare(a.get(0), b.get(0)));
    return pairs;
  }

  static List<Object> sorted(Iterable<?> elements) {
    List<Object> list = new ArrayList<>();
    elements.forEach(list::add);
    list.sort(Values.ORDER);
    return list;
  }

  /**
   * Jepsen's {@code frequency-distribution}: for each point p of 0, 0.5, 0.95, 0.99 and 1, the
   * element at position {@code min(n - 1, floor(n * p))} of the sorted values; keys as Jepsen
   * prints them.
   */
  static Map<String, Long> quantiles(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    Map<String, Long> q =
        new TreeMap<>((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
    int n = sorted.size();
    for (double p : POINTS) {
      int i = Math.min(n - 1, (int) Math.floor(n * p));
      q.put(p == 0 ? "0" : p == 1 ? "1" : Double.toString(p), sorted.get(i));
    }
    return q;
  }
}
