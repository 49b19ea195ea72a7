package dev.meld.chaos.history;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An immutable list of ops in index order, with every completion paired to its invocation.
 *
 * <p>As in Jepsen, a process runs one operation at a time: its {@code invoke} is completed by the
 * next {@code ok}, {@code fail} or {@code info} of the same process. A client process that invokes
 * while an operation is still open, or completes without one, makes the history malformed. An
 * invocation left open at the end is indeterminate, like an {@code info}. Non-client processes (the
 * nemesis) may log lone {@code info} ops, which pair with nothing.
 *
 * <p>Indices increase strictly but may have gaps (a subhistory keeps the indices of the full
 * history, so results point at the original lines); times never decrease.
 */
public final class History implements Iterable<Op> {

  private static final History EMPTY = new History(List.of());

  private final List<Op> ops;
  private final long[] indices;

  /** For each position, the position of its pair, or -1. */
  private final int[] pairs;

  private History(List<Op> ops) {
    this.ops = ops;
    this.indices = new long[ops.size()];
    this.pairs = new int[ops.size()];
    Arrays.fill(pairs, -1);
    Map<Object, Integer> open = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      indices[i] = op.index();
      if (i > 0) {
        Op prev = ops.get(i - 1);
        if (op.index() <= prev.index()) {
          throw new MalformedHistoryException(
              i,
              "index: " + op.index() + " (expected: > " + prev.index() + ", the previous index)");
        }
        if (op.time() < prev.time()) {
          throw new MalformedHistoryException(
              i,
              "op "
                  + op.index()
                  + ": time: "
                  + op.time()
                  + " (expected: >= "
                  + prev.time()
                  + ", the time of op "
                  + prev.index()
                  + ")");
        }
      }
      Integer pending = open.get(op.process());
      if (op.isInvoke()) {
        if (pending != null) {
          throw new MalformedHistoryException(
              i,
              "op "
                  + op.index()
                  + ": process "
                  + Values.render(op.process())
                  + " invoked while op "
                  + ops.get(pending).index()
                  + " was still open (expected: one operation at a time per process)");
        }
        open.put(op.process(), i);
      } else if (pending != null) {
        Op invocation = ops.get(pending);
        if (!invocation.f().equals(op.f())) {
          throw new MalformedHistoryException(
              i,
              "op "
                  + op.index()
                  + ": f: \""
                  + op.f()
                  + "\" (expected: \""
                  + invocation.f()
                  + "\", the f of its invocation, op "
                  + invocation.index()
                  + ")");
        }
        pairs[i] = pending;
        pairs[pending] = i;
        open.remove(op.process());
      } else if (op.isClient()) {
        throw new MalformedHistoryException(
            i,
            "op "
                + op.index()
                + ": process "
                + op.process()
                + " completed \""
                + op.f()
                + "\" with no open invocation (expected: an invoke before each completion)");
      }
    }
  }

  /**
   * A history of these ops, in order.
   *
   * @throws MalformedHistoryException if indices do not increase, times decrease, or a client's
   *     invocations and completions do not pair up
   */
  public static History of(List<Op> ops) {
    return ops.isEmpty() ? EMPTY : new History(List.copyOf(ops));
  }

  public static History empty() {
    return EMPTY;
  }

  public List<Op> ops() {
    return ops;
  }

  public int size() {
    return ops.size();
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** The op at this position (not index). */
  public Op get(int position) {
    return ops.get(position);
  }

  public Stream<Op> stream() {
    return ops.stream();
  }

  @Override
  public Iterator<Op> iterator() {
    return ops.iterator();
  }

  /** The completion of an invocation of this history; empty while it is still open. */
  public Optional<Op> completion(Op invocation) {
    if (!invocation.isInvoke()) {
      throw new IllegalArgumentException("op " + invocation.index() + " (expected: an invoke)");
    }
    return pairOf(invocation);
  }

  /** The invocation of a completion of this history; empty for a lone nemesis op. */
  public Optional<Op> invocation(Op completion) {
    if (completion.isInvoke()) {
      throw new IllegalArgumentException("op " + completion.index() + " (expected: a completion)");
    }
    return pairOf(completion);
  }

  /**
   * The value an operation acted on: the op's own value, or when that is null, its pair's. A client
   * that records {@code {"type":"info","f":"add","value":null}} after a timeout still added the
   * value it invoked with.
   */
  public Object valueOf(Op op) {
    return op.value() != null ? op.value() : pairOf(op).map(Op::value).orElse(null);
  }

  private Optional<Op> pairOf(Op op) {
    int position = Arrays.binarySearch(indices, op.index());
    if (position < 0 || !ops.get(position).equals(op)) {
      throw new IllegalArgumentException("op " + op.index() + " is not in this history");
    }
    int pair = pairs[position];
    return pair < 0 ? Optional.empty() : Optional.of(ops.get(pair));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof History && ((History) o).ops.equals(ops);
  }

  @Override
  public int hashCode() {
    return ops.hashCode();
  }

  @Override
  public String toString() {
    return "History(" + ops.size() + " ops)";
  }
}
