package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checker for sets with removes (an add-wins observed-remove set such as Meld's Orswot). It
 * judges the final reads: the ok {@code final-read}s every node answers after the scenario's
 * quiesce phase (faults healed, replication drained).
 *
 * <ul>
 *   <li><b>LOST</b>: an element with an acknowledged add, absent from a final read invoked after
 *       that add completed, and no remove that could explain it: every remove of it failed or was
 *       acknowledged before the add was invoked (an indeterminate remove may land at any time after
 *       its invocation, so it explains the absence).
 *   <li><b>PHANTOM</b>: an element in some ok read (final or not) although no add of it had been
 *       invoked before that read completed: never attempted, or read before it was.
 *   <li><b>DUPLICATE</b>: an element that some ok read returned more than once.
 *   <li><b>RESURRECTED</b>: an element with an acknowledged remove invoked after every add of it
 *       had completed (ok or fail; an add left indeterminate may still land, so none may be), yet
 *       present in a final read invoked after that remove completed.
 * </ul>
 *
 * <p>RESURRECTED assumes that a remove acknowledged after the adds completed observed them. In an
 * observed-remove set a remove only cancels the adds its replica has seen, so the workload must
 * make that true: remove on the node that acknowledged the adds, or after replication has caught
 * up. A workload that removes on a lagging replica will see correct behaviour reported as
 * RESURRECTED.
 *
 * <p>Output: {@code valid} (false on any anomaly; otherwise {@code "unknown"} when there is no
 * final read), {@code final-read-count}, {@code attempt-count} and {@code acknowledged-count}
 * (distinct elements), then {@code lost}, {@code phantom}, {@code duplicated} and {@code
 * resurrected}, each with its count; elements as sorted arrays, {@code duplicated} as {@code
 * [element, highest multiplicity]} pairs.
 */
final class SetRemovesChecker implements Checker {

  /** The add and remove invocations of one element, in history order. */
  private static final class Element {
    final List<Op> adds = new ArrayList<>();
    final List<Op> removes = new ArrayList<>();
  }

  @Override
  public CheckResult check(History history) {
    Map<Object, Element> elements = new HashMap<>();
    Set<Object> acknowledged = new HashSet<>();
    Set<Object> phantom = new TreeSet<>(Values.ORDER);
    Map<Object, Long> duplicated = new HashMap<>();
    List<Op> finalReads = new ArrayList<>();
    for (Op op : history) {
      if (Ops.isAdd(op) && op.isInvoke()) {
        for (Object added : Ops.added(op, op.value())) {
          elements.computeIfAbsent(added, k -> new Element()).adds.add(op);
        }
      } else if (Ops.isAdd(op) && op.isOk()) {
        acknowledged.addAll(Ops.added(op, history.valueOf(op)));
      } else if (Ops.isClient(op, Ops.REMOVE) && op.isInvoke()) {
        elements.computeIfAbsent(op.value(), k -> new Element()).removes.add(op);
      } else if (Ops.isRead(op) && op.isOk()) {
        List<?> read = Ops.elements(op, op.value());
        Ops.countDuplicates(read, duplicated);
        for (Object e : read) {
          // Every add invocation seen so far precedes this completion.
          Element known = elements.get(e);
          if (known == null || known.adds.isEmpty()) {
            phantom.add(e);
          }
        }
        if (Ops.isFinalRead(op)) {
          finalReads.add(op);
        }
      }
    }
    Set<Object> lost = new TreeSet<>(Values.ORDER);
    Set<Object> resurrected = new TreeSet<>(Values.ORDER);
    List<Read> reads = new ArrayList<>();
    for (Op read : finalReads) {
      reads.add(
          new Read(
              history.invocation(read).orElseThrow(),
              new HashSet<>(Ops.elements(read, read.value()))));
    }
    elements.forEach(
        (element, e) -> {
          if (isLost(history, element, e, reads)) {
            lost.add(element);
          }
          if (isResurrected(history, element, e, reads)) {
            resurrected.add(element);
          }
        });
    boolean anomaly =
        !(lost.isEmpty() && phantom.isEmpty() && duplicated.isEmpty() && resurrected.isEmpty());
    Validity valid =
        anomaly ? Validity.FALSE : finalReads.isEmpty() ? Validity.UNKNOWN : Validity.TRUE;
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("final-read-count", finalReads.size());
    d.put("attempt-count", elements.values().stream().filter(e -> !e.adds.isEmpty()).count());
    d.put("acknowledged-count", acknowledged.size());
    d.put("lost-count", lost.size());
    d.put("lost", List.copyOf(lost));
    d.put("phantom-count", phantom.size());
    d.put("phantom", new ArrayList<>(phantom));
    d.put("duplicated-count", duplicated.size());
    d.put("duplicated", Ops.pairs(duplicated));
    d.put("resurrected-count", resurrected.size());
    d.put("resurrected", new ArrayList<>(resurrected));
    return CheckResult.of(valid, d);
  }

  /** A final read: its invocation and the elements it returned. */
  private record Read(Op invocation, Set<Object> elements) {}

  private static boolean isLost(History history, Object element, Element e, List<Read> reads) {
    for (Op add : e.adds) {
      Optional<Op> done = history.completion(add).filter(Op::isOk);
      if (done.isEmpty() || hasCoveringRemove(history, add, e.removes)) {
        continue;
      }
      for (Read r : reads) {
        if (r.invocation.index() > done.get().index() && !r.elements.contains(element)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A remove covers an add unless it failed, or was acknowledged before the add was invoked. An
   * indeterminate remove may take effect at any time after its invocation, even after the add.
   */
  private static boolean hasCoveringRemove(History history, Op add, List<Op> removes) {
    for (Op remove : removes) {
      Optional<Op> done = history.completion(remove);
      boolean failed = done.map(Op::isFail).orElse(false);
      boolean ackedBeforeAdd = done.map(c -> c.isOk() && c.index() < add.index()).orElse(false);
      if (!failed && !ackedBeforeAdd) {
        return true;
      }
    }
    return false;
  }

  private static boolean isResurrected(
      History history, Object element, Element e, List<Read> reads) {
    for (Op remove : e.removes) {
      Optional<Op> done = history.completion(remove).filter(Op::isOk);
      if (done.isEmpty() || !allAddsCompletedBefore(history, e.adds, remove)) {
        continue;
      }
      for (Read r : reads) {
        if (r.invocation.index() > done.get().index() && r.elements.contains(element)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean allAddsCompletedBefore(History history, List<Op> adds, Op remove) {
    for (Op add : adds) {
      Optional<Op> done = history.completion(add);
      if (done.isEmpty() || done.get().isInfo()) {
        return false;
      }
      if (done.get().isOk() && done.get().index() > remove.index()) {
        return false;
      }
    }
    return true;
  }
}
