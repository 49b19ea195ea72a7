package dev.meld.chaos.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Jepsen's {@code independent} convention for multi-key workloads: a client op on key {@code k}
 * carries the tuple {@code [k, v]} as its value, and a checker of single-key histories runs once
 * per key on the subhistory of that key with the tuples unwrapped to {@code v}.
 *
 * <p>A subhistory holds the client operations on its key plus every operation that belongs to no
 * key: nemesis ops (whatever their value looks like) and client operations whose invocation and
 * completion both carry a non-tuple value. An operation is placed by its pair, so an invocation
 * recorded as {@code null} goes with a completion recorded as {@code [k, v]}.
 */
public final class Tuples {

  private Tuples() {}

  /** True for a two-element list. */
  public static boolean isTuple(Object value) {
    return value instanceof List && ((List<?>) value).size() == 2;
  }

  /**
   * True if every client op with a non-null value carries a tuple, and at least one does: the shape
   * of a multi-key history. A single-key history's adds carry plain elements or deltas, so it is
   * never mistaken for one unless every value it holds is itself a pair.
   */
  public static boolean isKeyed(History history) {
    boolean any = false;
    for (Op op : history) {
      if (op.isClient() && op.value() != null) {
        if (!isTuple(op.value())) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** The distinct keys of a history, in {@link Values#ORDER}. */
  public static List<Object> keys(History history) {
    TreeSet<Object> keys = new TreeSet<>(Values.ORDER);
    for (Op op : history) {
      keyOf(history, op).ifPresent(keys::add);
    }
    return new ArrayList<>(keys);
  }

  /** The subhistory of {@code key}, with tuples unwrapped; indices are those of the history. */
  public static History subhistory(History history, Object key) {
    Object k = Values.canonical(key);
    List<Op> ops = new ArrayList<>();
    for (Op op : history) {
      Optional<Object> opKey = keyOf(history, op);
      if (opKey.isEmpty()) {
        ops.add(op);
      } else if (Values.ORDER.compare(opKey.get(), k) == 0) {
        ops.add(isTuple(op.value()) ? op.withValue(((List<?>) op.value()).get(1)) : op);
      }
    }
    return History.of(ops);
  }

  private static Optional<Object> keyOf(History history, Op op) {
    if (!op.isClient()) {
      return Optional.empty();
    }
    Optional<Op> pair = op.isInvoke() ? history.completion(op) : history.invocation(op);
    Optional<Object> own = tupleKey(op);
    Optional<Object> other = pair.flatMap(Tuples::tupleKey);
    if (own.isPresent() && other.isPresent() && !own.equals(other)) {
      throw new IllegalArgumentException(
          "op "
              + op.index()
              + ": key "
              + Values.render(own.get())
              + " (expected: "
              + Values.render(other.get())
              + ", the key of op "
              + pair.get().index()
              + ")");
    }
    return own.or(() -> other);
  }

  private static Optional<Object> tupleKey(Op op) {
    if (!isTuple(op.value())) {
      return Optional.empty();
    }
    Object key = ((List<?>) op.value()).get(0);
    if (key == null) {
      throw new IllegalArgumentException(
          "op " + op.index() + ": key: null (expected: a non-null key in [k, v])");
    }
    return Optional.of(key);
  }
}
