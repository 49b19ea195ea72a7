package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen's {@code set-full} for a set with removes, over the elements no remove was invoked for.
 * {@code set-full} knows no removes: every removed element would be lost to it. Kept elements obey
 * it unchanged, though, and it judges every read (where {@code set-removes} judges final reads
 * only): an element seen and then missed for good is lost, a read that missed it before it became
 * stable makes it stale.
 *
 * <p>The history is narrowed before {@code set-full} runs: removes go, adds of an element with a
 * remove invocation go (with their completions; an {@code add-all} keeps its other elements), reads
 * stay whole ({@code set-full} ignores elements it saw no add of). Output: {@code set-full}'s, plus
 * {@code removed-count}, the elements left out.
 */
final class SetFullKeptChecker implements Checker {

  private final Checker setFull = new SetFullChecker(false);

  @Override
  public CheckResult check(History history) {
    Set<Object> removed = new HashSet<>();
    for (Op op : history) {
      if (Ops.isClient(op, Ops.REMOVE) && op.isInvoke()) {
        removed.add(op.value());
      }
    }
    List<Op> kept = new ArrayList<>(history.size());
    Set<Long> dropped = new HashSet<>();
    Map<Long, List<Object>> rewritten = new HashMap<>();
    for (Op op : history) {
      if (dropped.contains(op.index()) || Ops.isClient(op, Ops.REMOVE)) {
        continue;
      }
      if (Ops.isAdd(op) && op.isInvoke()) {
        List<Object> left = new ArrayList<>(Ops.added(op, op.value()));
        if (left.removeAll(removed)) {
          Op completion = history.completion(op).orElse(null);
          if (left.isEmpty()) {
            if (completion != null) {
              dropped.add(completion.index());
            }
            continue;
          }
          // Only an add-all can keep some of its elements: it carries them as an array.
          op = op.withValue(left);
          if (completion != null) {
            rewritten.put(completion.index(), left);
          }
        }
      } else if (rewritten.containsKey(op.index())) {
        op = op.withValue(rewritten.remove(op.index()));
      }
      kept.add(op);
    }
    CheckResult r = setFull.check(History.of(kept));
    Map<String, Object> details = new LinkedHashMap<>(r.details());
    details.put("removed-count", removed.size());
    return CheckResult.of(r.valid(), details);
  }
}
