package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The counter rules for one key: every acknowledged delta is counted, and nothing beyond what was
 * attempted ever shows.
 *
 * <ul>
 *   <li>Final reads (after quiescing) lie in {@code [ok + negative info, ok + positive info]}: the
 *       sum of acknowledged deltas, widened by each indeterminate delta in its own direction
 *       (Maelstrom's pn-counter final check, with the subset sums as an interval since deltas are
 *       only summed).
 *   <li>Any earlier read lies in {@code [negative attempted, positive attempted]}: the sums of the
 *       negative and positive deltas not known to have failed, invoked before the read completed. A
 *       replica holds some subset of the deltas applied anywhere, so nothing stricter holds under
 *       eventual consistency.
 * </ul>
 */
final class CounterCheck {

  private CounterCheck() {}

  static void check(String key, List<OpPair> ops, List<Violation> out) {
    long acknowledged = 0;
    long maybeUp = 0;
    long maybeDown = 0;
    List<OpPair> finals = new ArrayList<>();
    List<OpPair> reads = new ArrayList<>();
    List<OpPair> deltas = new ArrayList<>();
    for (OpPair op : ops) {
      switch (op.f()) {
        case "incr":
          deltas.add(op);
          long delta = (Long) op.invoke().value();
          if (op.outcome() == SimOp.Type.OK) {
            acknowledged += delta;
          } else if (op.outcome() == SimOp.Type.INFO) {
            maybeUp += Math.max(delta, 0);
            maybeDown += Math.min(delta, 0);
          }
          break;
        case "final-read":
          finals.add(op);
          break;
        default:
          reads.add(op);
      }
    }
    long low = acknowledged + maybeDown;
    long high = acknowledged + maybeUp;
    for (OpPair read : finals) {
      if (read.outcome() != SimOp.Type.OK) {
        continue;
      }
      long value = (Long) read.value();
      if (value < low || value > high) {
        out.add(
            new Violation(
                Violation.Kind.COUNTER_OUT_OF_BOUNDS,
                key,
                outside("final read", read, value, low, high)
                    + ": acknowledged "
                    + acknowledged
                    + ", indeterminate +"
                    + maybeUp
                    + "/"
                    + maybeDown
                    + ")",
                evidence(read, deltas, value < low)));
      }
    }
    for (OpPair read : reads) {
      checkRead(key, read, deltas, out);
    }
  }

  private static void checkRead(String key, OpPair read, List<OpPair> deltas, List<Violation> out) {
    if (read.outcome() != SimOp.Type.OK) {
      return;
    }
    long up = 0;
    long down = 0;
    for (OpPair op : deltas) {
      if (!op.failed() && op.start() < read.end()) {
        long delta = (Long) op.invoke().value();
        up += Math.max(delta, 0);
        down += Math.min(delta, 0);
      }
    }
    long value = (Long) read.value();
    if (value < down || value > up) {
      out.add(
          new Violation(
              Violation.Kind.COUNTER_READ_IMPOSSIBLE,
              key,
              outside("read", read, value, down, up)
                  + ", the deltas attempted before it completed)",
              read.ops()));
    }
  }

  /** "{what} on {node}: {value} (expected: in [{low}, {high}]" */
  private static String outside(String what, OpPair read, long value, long low, long high) {
    return what
        + " on "
        + read.node()
        + ": "
        + value
        + " (expected: in ["
        + low
        + ", "
        + high
        + "]";
  }

  /**
   * The read and the deltas that explain a bound: for a read too low, the acknowledged deltas (some
   * of them are missing); for a read too high, the largest attempted ones. At most ten.
   */
  private static List<SimOp> evidence(OpPair read, List<OpPair> deltas, boolean tooLow) {
    List<SimOp> ops = new ArrayList<>(read.ops());
    int shown = 0;
    for (OpPair op : deltas) {
      boolean relevant = tooLow ? op.outcome() == SimOp.Type.OK : !op.failed();
      if (relevant && shown++ < 10) {
        ops.addAll(op.ops());
      }
    }
    return ops;
  }
}
