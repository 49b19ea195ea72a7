package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jepsen's {@code counter} checker and its extension to decrements, {@code pn-counter}: every ok
 * read must lie between the least and the greatest value the counter could have had while the read
 * was running.
 *
 * <p>Output: {@code valid}, {@code reads} (each {@code [lower, value, upper]}) and {@code errors}
 * (the reads outside their bounds).
 */
final class CounterChecker implements Checker {

  /*
   * One pass over the client ops (nemesis ops are ignored), keeping two bounds: `lower`, the sum
   * of the deltas known to have happened, and `upper`, the sum of the deltas that may have.
   *
   * An add of d >= 0 raises `upper` at its invocation and `lower` at its ok. An add that will fail
   * never happened, so, as in Jepsen, its invocation looks ahead to the completion and skips it
   * (the same as "raise at invoke, lower back on fail", minus the window in between). An add left
   * `info` or open raises `upper` for good. A negative delta widens the other way: it lowers
   * `lower` at invocation and `upper` at its ok.
   *
   * A read reports [the least `lower`, value, the greatest `upper`] over its own window, from
   * invocation to completion. For the grow-only counter both bounds only grow, so this is exactly
   * Jepsen's [lower at invocation, value, upper at completion]. With decrements `lower` can drop
   * while a read runs (a decrement invoked meanwhile may take effect before the read), which is
   * why the window is tracked rather than its endpoints.
   *
   * Example (Jepsen's "rolling reads and writes"), bounds after each op:
   *
   *   invoke read  (p0)   lower 0  upper 0   window of the read opens at [0, 0]
   *   invoke add 1 (p1)            upper 1   window widens to [0, 1]
   *   ok read 0    (p0)                      read [0 0 1]
   *   invoke read  (p0)                      window [0, 1]
   *   ok add 1     (p1)   lower 1
   *   invoke add 2 (p1)            upper 3   window [0, 3]
   *   ok read 3    (p0)                      read [0 3 3]
   *   invoke read  (p0)                      window [1, 3]
   *   ok add 2     (p1)   lower 3
   *   ok read 5    (p0)                      read [1 5 3]: an error, 5 > 3
   */

  private final boolean decrements;

  private CounterChecker(boolean decrements) {
    this.decrements = decrements;
  }

  /** Jepsen's grow-only counter: a negative add is bad input. */
  static CounterChecker counter() {
    return new CounterChecker(false);
  }

  /** The counter with decrements. */
  static CounterChecker pnCounter() {
    return new CounterChecker(true);
  }

  private static final class Window {
    final long value;
    long lower;
    long upper;

    Window(long value, long lower, long upper) {
      this.value = value;
      this.lower = lower;
      this.upper = upper;
    }
  }

  @Override
  public CheckResult check(History history) {
    long lower = 0;
    long upper = 0;
    Map<Object, Window> running = new HashMap<>();
    List<List<Long>> reads = new ArrayList<>();
    for (Op op : history) {
      if (Ops.isRead(op)) {
        if (op.isInvoke()) {
          Optional<Op> done = history.completion(op).filter(Op::isOk);
          if (done.isPresent()) {
            long value = Ops.integer(done.get(), history.valueOf(done.get()), "read value");
            running.put(op.process(), new Window(value, lower, upper));
          }
        } else if (op.isOk()) {
          Window w = running.remove(op.process());
          reads.add(List.of(w.lower, w.value, w.upper));
        }
      } else if (Ops.isClient(op, Ops.ADD) && (op.isInvoke() || op.isOk())) {
        long delta = Ops.integer(op, history.valueOf(op), "add value");
        if (delta < 0 && !decrements) {
          throw new IllegalArgumentException(
              "op "
                  + op.index()
                  + ": add value: "
                  + delta
                  + " (expected: >= 0 for counter; use pn-counter for decrements)");
        }
        if (op.isInvoke()) {
          if (history.completion(op).map(Op::isFail).orElse(false)) {
            continue;
          }
          if (delta >= 0) {
            upper = Ops.add(op, upper, delta);
          } else {
            lower = Ops.add(op, lower, delta);
          }
        } else if (delta >= 0) {
          lower = Ops.add(op, lower, delta);
        } else {
          upper = Ops.add(op, upper, delta);
        }
        for (Window w : running.values()) {
          w.lower = Math.min(w.lower, lower);
          w.upper = Math.max(w.upper, upper);
        }
      }
    }
    List<List<Long>> errors = new ArrayList<>();
    for (List<Long> r : reads) {
      if (r.get(1) < r.get(0) || r.get(1) > r.get(2)) {
        errors.add(r);
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("reads", reads);
    details.put("errors", errors);
    return CheckResult.of(Validity.of(errors.isEmpty()), details);
  }
}
