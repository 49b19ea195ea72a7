package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maelstrom's PN-counter check: after the final phase, every node must read the sum of all
 * acknowledged adds plus the sum of some subset of the indeterminate ones.
 *
 * <p>An add is definite if it completed {@code ok}, ignored if it {@code fail}ed, and indeterminate
 * if it completed {@code info} or never completed. A final read is an ok {@code final-read} (or a
 * {@code read} marked {@code "final?": true}, Maelstrom's form); each one is judged, so every
 * node's last word counts.
 *
 * <p>Output: {@code valid} (true when no final read falls outside the acceptable set, as in
 * Maelstrom, also when there is no final read), {@code errors} (the offending read ops), {@code
 * final-reads} (their values, in history order) and {@code acceptable} (closed ranges {@code [lo,
 * hi]}). The acceptable set is exact unless more than {@code maxRanges} ranges would be needed;
 * then it is widened to that many ranges and {@code "approximate": true} is added (see {@link
 * IntRanges}).
 */
final class PnCounterFinalChecker implements Checker {

  /**
   * The default bound on acceptable ranges. Each indeterminate add costs time proportional to the
   * number of ranges, so the whole check is O(adds × maxRanges) at worst.
   */
  static final int DEFAULT_MAX_RANGES = 4096;

  private final int maxRanges;

  PnCounterFinalChecker(int maxRanges) {
    if (maxRanges < 1) {
      throw new IllegalArgumentException("maxRanges: " + maxRanges + " (expected: >= 1)");
    }
    this.maxRanges = maxRanges;
  }

  @Override
  public CheckResult check(History history) {
    long definite = 0;
    List<Long> indeterminate = new ArrayList<>();
    List<Op> finalReads = new ArrayList<>();
    for (Op op : history) {
      if (Ops.isClient(op, Ops.ADD)) {
        if (op.isOk()) {
          definite = Ops.add(op, definite, Ops.integer(op, history.valueOf(op), "add value"));
        } else if (op.isInfo() || (op.isInvoke() && history.completion(op).isEmpty())) {
          indeterminate.add(Ops.integer(op, history.valueOf(op), "add value"));
        }
      } else if (Ops.isFinalRead(op) && op.isOk()) {
        Ops.integer(op, op.value(), "final read value");
        finalReads.add(op);
      }
    }
    // Small deltas first: they fill gaps early, so fewer ranges are carried along.
    indeterminate.sort(Comparator.comparingLong(Math::abs));
    IntRanges acceptable = IntRanges.point(definite);
    boolean approximate = false;
    for (long delta : indeterminate) {
      try {
        acceptable = acceptable.unionShifted(delta);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "add value: " + delta + " (expected: sums of adds within a long)", e);
      }
      IntRanges coarse = acceptable.coarsen(maxRanges);
      approximate |= coarse != acceptable;
      acceptable = coarse;
    }
    List<Op> errors = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    for (Op read : finalReads) {
      values.add((Long) read.value());
      if (!acceptable.contains((Long) read.value())) {
        errors.add(read);
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("errors", errors);
    details.put("final-reads", values);
    details.put("acceptable", acceptable.toList());
    if (approximate) {
      details.put("approximate", true);
    }
    return CheckResult.of(Validity.of(errors.isEmpty()), details);
  }
}
