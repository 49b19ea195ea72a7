package dev.meld.chaos.checker;

import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen's {@code set} checker: adds followed by a final read. From the last ok read, with {@code
 * attempts} the elements of every add invocation and {@code adds} the elements of ok adds:
 *
 * <ul>
 *   <li>{@code ok}: read and attempted;
 *   <li>{@code unexpected}: read but never attempted;
 *   <li>{@code lost}: acknowledged but not read;
 *   <li>{@code recovered}: read and attempted but not acknowledged (an add that failed counts, as
 *       in Jepsen).
 * </ul>
 *
 * <p>Valid unless something is lost or unexpected; {@code "unknown"} with an {@code error} when no
 * read succeeded. Output keys as Jepsen's: the counts ({@code attempt-count}, {@code
 * acknowledged-count}, {@code ok-count}, {@code lost-count}, {@code recovered-count}, {@code
 * unexpected-count}) and the elements as sorted arrays ({@code ok}, {@code lost}, {@code
 * unexpected}, {@code recovered}) where Jepsen prints interval strings.
 */
final class SetChecker implements Checker {

  @Override
  public CheckResult check(History history) {
    Set<Object> attempts = new HashSet<>();
    Set<Object> adds = new HashSet<>();
    Op lastRead = null;
    for (Op op : history) {
      if (Ops.isAdd(op)) {
        if (op.isInvoke()) {
          attempts.addAll(Ops.added(op, op.value()));
        } else if (op.isOk()) {
          adds.addAll(Ops.added(op, history.valueOf(op)));
        }
      } else if (Ops.isRead(op) && op.isOk()) {
        lastRead = op;
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    if (lastRead == null) {
      details.put("error", "Set was never read");
      return CheckResult.of(Validity.UNKNOWN, details);
    }
    Set<Object> read = new HashSet<>(Ops.elements(lastRead, lastRead.value()));
    Set<Object> ok = intersection(read, attempts);
    Set<Object> unexpected = difference(read, attempts);
    Set<Object> lost = difference(adds, read);
    Set<Object> recovered = difference(ok, adds);
    details.put("attempt-count", attempts.size());
    details.put("acknowledged-count", adds.size());
    details.put("ok-count", ok.size());
    details.put("lost-count", lost.size());
    details.put("recovered-count", recovered.size());
    details.put("unexpected-count", unexpected.size());
    details.put("ok", Ops.sorted(ok));
    details.put("lost", Ops.sorted(lost));
    details.put("unexpected", Ops.sorted(unexpected));
    details.put("recovered", Ops.sorted(recovered));
    return CheckResult.of(Validity.of(lost.isEmpty() && unexpected.isEmpty()), details);
  }

  private static Set<Object> intersection(Set<Object> a, Set<Object> b) {
    Set<Object> s = new HashSet<>(a);
    s.retainAll(b);
    return s;
  }

  private static Set<Object> difference(Set<Object> a, Set<Object> b) {
    Set<Object> s = new HashSet<>(a);
    s.removeAll(b);
    return s;
  }
}
