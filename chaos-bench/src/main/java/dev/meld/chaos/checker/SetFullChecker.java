package dev.meld.chaos.checker;

import dev.meld.chaos.checker.SetFullElement.Outcome;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen's {@code set-full} checker: for every element whose add was invoked, a timeline of the
 * reads that saw it and missed it, classifying it {@code stable} (from some point on every read
 * sees it), {@code lost} (known to exist, then a later read misses it for good) or {@code
 * never-read}. Stable elements that some read missed after they were known are {@code stale}.
 *
 * <p>Output, as Jepsen's: {@code valid} (false if anything is lost, {@code "unknown"} if nothing is
 * stable, with the {@code linearizable} option false on any stale element too), {@code
 * attempt-count}, {@code stable-count}, {@code lost-count}, {@code lost}, {@code never-read-count},
 * {@code never-read}, {@code stale-count}, {@code stale}, {@code worst-stale} (up to 8, slowest
 * first), {@code stable-latencies} and {@code lost-latencies} (quantiles 0, 0.5, 0.95, 0.99, 1 of
 * the latencies in ms, present when there are any), {@code duplicated-count} and {@code
 * duplicated}.
 *
 * <p><b>Deviation from Jepsen, on duplicates.</b> Jepsen's version means to report elements that a
 * single read returned more than once, but its filter keeps multiplicities below 1, which cannot
 * occur, so it never reports any. This one reports every element some read returned more than once,
 * as {@code duplicated}: a sorted array of {@code [element, highest multiplicity]} pairs, and a
 * duplicate makes the history invalid.
 */
final class SetFullChecker implements Checker {

  private static final int WORST_STALE = 8;

  private final boolean linearizable;

  SetFullChecker(boolean linearizable) {
    this.linearizable = linearizable;
  }

  @Override
  public CheckResult check(History history) {
    Map<Object, SetFullElement> elements = new HashMap<>();
    Map<Object, Long> duplicated = new HashMap<>();
    for (Op op : history) {
      if (Ops.isAdd(op)) {
        if (op.isInvoke()) {
          for (Object added : Ops.added(op, op.value())) {
            // Re-adding an element starts its timeline over, as in Jepsen.
            elements.put(added, new SetFullElement(added));
          }
        } else {
          for (Object added : Ops.added(op, history.valueOf(op))) {
            SetFullElement e = elements.get(added);
            if (e != null) {
              e.addCompleted(op);
            }
          }
        }
      } else if (Ops.isRead(op) && op.isOk()) {
        Op invocation = history.invocation(op).orElseThrow();
        List<?> read = Ops.elements(op, op.value());
        Ops.countDuplicates(read, duplicated);
        Set<Object> present = new HashSet<>(read);
        for (SetFullElement e : elements.values()) {
          if (present.contains(e.element)) {
            e.readPresent(invocation, op);
          } else {
            e.readAbsent(invocation);
          }
        }
      }
    }
    List<SetFullElement> results = new ArrayList<>(elements.values());
    results.sort(Comparator.comparing(e -> e.element, Values.ORDER));
    results.forEach(SetFullElement::finish);
    return summarize(results, duplicated);
  }

  private CheckResult summarize(List<SetFullElement> results, Map<Object, Long> duplicated) {
    List<Object> lost = new ArrayList<>();
    List<Object> neverRead = new ArrayList<>();
    List<SetFullElement> stale = new ArrayList<>();
    List<Long> stableLatencies = new ArrayList<>();
    List<Long> lostLatencies = new ArrayList<>();
    int stableCount = 0;
    for (SetFullElement e : results) {
      if (e.outcome == Outcome.STABLE) {
        stableCount++;
        stableLatencies.add(e.stableLatency);
        if (e.stableLatency > 0) {
          stale.add(e);
        }
      } else if (e.outcome == Outcome.LOST) {
        lost.add(e.element);
        lostLatencies.add(e.lostLatency);
      } else {
        neverRead.add(e.element);
      }
    }
    // Jepsen sorts by latency, then reverses: ties come out in descending element order.
    List<SetFullElement> worst = new ArrayList<>(stale);
    worst.sort(Comparator.comparingLong(e -> e.stableLatency));
    Collections.reverse(worst);
    List<Map<String, Object>> worstStale = new ArrayList<>();
    worst.stream().limit(WORST_STALE).forEach(e -> worstStale.add(e.toMap()));

    Validity valid;
    if (!lost.isEmpty()) {
      valid = Validity.FALSE;
    } else if (stableCount == 0) {
      valid = Validity.UNKNOWN;
    } else if (linearizable && !stale.isEmpty()) {
      valid = Validity.FALSE;
    } else {
      valid = Validity.TRUE;
    }
    if (!duplicated.isEmpty()) {
      valid = Validity.FALSE;
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("attempt-count", results.size());
    d.put("stable-count", stableCount);
    d.put("lost-count", lost.size());
    d.put("lost", lost);
    d.put("never-read-count", neverRead.size());
    d.put("never-read", neverRead);
    d.put("stale-count", stale.size());
    d.put("stale", stale.stream().map(e -> e.element).toList());
    d.put("worst-stale", worstStale);
    if (!stableLatencies.isEmpty()) {
      d.put("stable-latencies", Ops.quantiles(stableLatencies));
    }
    if (!lostLatencies.isEmpty()) {
      d.put("lost-latencies", Ops.quantiles(lostLatencies));
    }
    d.put("duplicated-count", duplicated.size());
    d.put("duplicated", Ops.pairs(duplicated));
    return CheckResult.of(valid, d);
  }
}
