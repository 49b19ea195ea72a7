package dev.meld.chaos.checker;

import dev.meld.chaos.history.Op;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code set-full} knows about one element: when it became known to exist, and the invocations
 * of the latest read that saw it and of the latest read that did not.
 */
final class SetFullElement {

  enum Outcome {
    STABLE,
    LOST,
    NEVER_READ;

    String json() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  final Object element;

  /** The ok add, or the first read that saw the element, whichever completed first. */
  private Op known;

  private Op lastPresent;
  private Op lastAbsent;

  // Results, set by finish().
  Outcome outcome;
  Long stableLatency;
  Long lostLatency;

  SetFullElement(Object element) {
    this.element = element;
  }

  void addCompleted(Op completion) {
    if (completion.isOk() && known == null) {
      known = completion;
    }
  }

  void readPresent(Op invocation, Op completion) {
    if (known == null) {
      known = completion;
    }
    if (lastPresent == null || lastPresent.index() < invocation.index()) {
      lastPresent = invocation;
    }
  }

  void readAbsent(Op invocation) {
    if (lastAbsent == null || lastAbsent.index() < invocation.index()) {
      lastAbsent = invocation;
    }
  }

  /*
   * Stable: some read that saw the element began after every read that missed it. Lost: the
   * element was known, and a read that began after the last sighting, and after the element was
   * known, missed it. An absent read concurrent with the add may have linearized before it, so it
   * makes the element never-read rather than lost. Latencies (ms, floored, never negative) run
   * from the known time to just after the last absent (stable) or last present (lost) read
   * began; with no such read, from time 0, as in Jepsen.
   */
  SetFullElement finish() {
    long presentIndex = lastPresent == null ? -1 : lastPresent.index();
    long absentIndex = lastAbsent == null ? -1 : lastAbsent.index();
    boolean stable = lastPresent != null && absentIndex < presentIndex;
    boolean lost =
        known != null
            && lastAbsent != null
            && presentIndex < absentIndex
            && known.index() < absentIndex;
    if (stable) {
      outcome = Outcome.STABLE;
      stableLatency = latency(lastAbsent == null ? 0 : lastAbsent.time() + 1);
    } else if (lost) {
      outcome = Outcome.LOST;
      lostLatency = latency(lastPresent == null ? 0 : lastPresent.time() + 1);
    } else {
      outcome = Outcome.NEVER_READ;
    }
    return this;
  }

  private long latency(long nanos) {
    return Math.max(0, nanos - known.time()) / 1_000_000;
  }

  /** The detailed form Jepsen prints under {@code worst-stale}. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("element", element);
    m.put("outcome", outcome.json());
    m.put("stable-latency", stableLatency);
    m.put("lost-latency", lostLatency);
    m.put("known", known);
    m.put("last-absent", lastAbsent);
    return m;
  }
}
