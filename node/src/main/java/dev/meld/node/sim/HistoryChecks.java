package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges a simulated history: the counter rules ({@link CounterCheck}), the set rules ({@link
 * SetCheck}), and convergence of the final reads (every node's {@code final-read} of a key shows
 * the same value). A key's type is what its ops say: {@code incr} and {@code counter-read} make a
 * counter, {@code add}, {@code remove} and {@code set-read} a set.
 *
 * <p>Nemesis ops that matter: those whose value is a map with {@code unreplicated} ({@code wipe},
 * {@code leave-done}): the invocation indices of acknowledged writes that only the node losing its
 * disk held, which it may legitimately take with it; they count as indeterminate. A {@code wipe}
 * (value {@code node}) also ends what that node had observed.
 */
public final class HistoryChecks {

  private HistoryChecks() {}

  /** Every violation in {@code history}, grouped by key, counters before sets. */
  public static List<Violation> check(List<SimOp> history) {
    Objects.requireNonNull(history, "history");
    Set<Long> lossy = new HashSet<>();
    Map<String, List<Long>> wipes = new TreeMap<>();
    for (SimOp op : history) {
      if (op.isNemesis() && op.value() instanceof Map<?, ?> value) {
        if (op.f().equals("wipe")) {
          wipes.computeIfAbsent((String) value.get("node"), n -> new ArrayList<>()).add(op.index());
        }
        if (value.get("unreplicated") instanceof List<?> indices) {
          indices.forEach(i -> lossy.add(((Number) i).longValue()));
        }
      }
    }
    Map<String, List<OpPair>> counters = new TreeMap<>();
    Map<String, List<OpPair>> sets = new TreeMap<>();
    Map<String, List<OpPair>> finals = new TreeMap<>();
    List<OpPair> pairs = OpPair.pair(history, lossy);
    for (OpPair op : pairs) {
      String key = op.key();
      switch (op.f()) {
        case "incr":
        case "counter-read":
          counters.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
          break;
        case "add":
        case "remove":
        case "set-read":
          sets.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
          break;
        case "final-read":
          finals.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
          break;
        default:
          throw new IllegalArgumentException(
              "op "
                  + op.invoke()
                  + " (expected: f in incr, counter-read, add, remove, set-read,"
                  + " final-read)");
      }
    }
    List<Violation> out = new ArrayList<>();
    finals.forEach(
        (key, reads) -> {
          converged(key, reads, out);
          if (counters.containsKey(key) || isCounterRead(reads)) {
            counters.computeIfAbsent(key, k -> new ArrayList<>()).addAll(reads);
          } else {
            sets.computeIfAbsent(key, k -> new ArrayList<>()).addAll(reads);
          }
        });
    counters.forEach((key, ops) -> CounterCheck.check(key, ops, out));
    sets.forEach((key, ops) -> SetCheck.check(key, ops, wipes, out));
    return out;
  }

  private static boolean isCounterRead(List<OpPair> reads) {
    for (OpPair read : reads) {
      if (read.outcome() == SimOp.Type.OK) {
        return read.value() instanceof Long;
      }
    }
    return false;
  }

  private static void converged(String key, List<OpPair> reads, List<Violation> out) {
    OpPair first = null;
    for (OpPair read : reads) {
      if (read.outcome() != SimOp.Type.OK) {
        continue;
      }
      if (first == null) {
        first = read;
      } else if (!comparable(first.value()).equals(comparable(read.value()))) {
        List<SimOp> shown = new ArrayList<>(first.ops());
        shown.addAll(read.ops());
        out.add(
            new Violation(
                Violation.Kind.DIVERGED,
                key,
                "final reads differ: "
                    + first.node()
                    + " has "
                    + first.value()
                    + ", "
                    + read.node()
                    + " has "
                    + read.value(),
                shown));
        return;
      }
    }
  }

  /** A set read in a form where order does not matter; other values as they are. */
  private static Object comparable(Object value) {
    if (value instanceof List<?> list) {
      List<String> sorted = new ArrayList<>();
      list.forEach(e -> sorted.add(String.valueOf(e)));
      sorted.sort(null);
      return sorted;
    }
    return value;
  }
}
