package dev.meld.chaos.workload;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.Values;
import dev.meld.chaos.scenario.NemesisCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a counter read on one replica may return while the workload runs ({@code local-read}, one
 * key's subhistory): everything an eventually consistent counter allows, and no less than the
 * writes that same node acknowledged. Named {@value #NAME}.
 *
 * <p>A read on node {@code n} may include any delta invoked (anywhere) before it completed that did
 * not fail, and must include every delta {@code n} itself acknowledged before the read was invoked:
 * {@code n} committed it durably before answering, and a replica's counter never forgets what it
 * merged. So with {@code P} and {@code N} the sums of the positive and negative deltas invoked
 * before the read completed and not failed, and {@code p} and {@code m} those of the positive and
 * negative deltas {@code n} acknowledged before the read began,
 *
 * <pre>  p + N  <=  read  <=  P + m</pre>
 *
 * A node that loses its data ({@code wipe}, or {@code restore}: what it acknowledged after its
 * backup) holds none of its earlier acknowledgements until its peers repair it, so they stop
 * counting for its reads from the fault's start (reads already running then are held to the
 * cluster-wide bounds only). The faults that destroy data are the nemesis catalog's ({@link
 * NemesisCatalog#dataLossFs}).
 *
 * <p>Jepsen's {@code counter} and our {@code pn-counter} hold every read to the acknowledged writes
 * of all nodes, which a replica that has not heard of them yet fails; those judge the final reads.
 *
 * <p>Output: {@code valid}, {@code read-count}, {@code error-count} and {@code errors} (the first
 * 20, each {@code {index, node, lower, value, upper}}).
 */
public final class LocalReadChecker implements Checker {

  /** Its name in results. */
  public static final String NAME = "local-reads";

  static final String F = Request.Kind.COUNTER_READ.f();
  private static final int MAX_ERRORS = 20;
  private static final Set<String> DATA_LOSS = NemesisCatalog.dataLossFs();

  /** A read in flight: the node and what the node had acknowledged when it began. */
  private record Running(String node, long ownPositive, long ownNegative) {}

  @Override
  public CheckResult check(History history) {
    long positive = 0;
    long negative = 0;
    Map<String, long[]> own = new HashMap<>(); // node -> {positive, negative} acknowledged
    Map<Object, Running> running = new HashMap<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    int reads = 0;
    int errorCount = 0;
    for (Op op : history) {
      if (!op.isClient()) {
        // A wipe's or restore's targets are known at its completion; clients are paused meanwhile.
        if (!op.isInvoke() && DATA_LOSS.contains(op.f())) {
          for (String node : targets(op)) {
            own.remove(node);
            running.replaceAll((p, r) -> r.node().equals(node) ? new Running(node, 0, 0) : r);
          }
        }
        continue;
      }
      String node = String.valueOf(op.extra("node"));
      if (op.f().equals(F)) {
        if (op.isInvoke()) {
          long[] o = own.getOrDefault(node, new long[2]);
          running.put(op.process(), new Running(node, o[0], o[1]));
        } else {
          Running r = running.remove(op.process());
          if (op.isOk() && r != null) {
            reads++;
            long value = Values.asLong(history.valueOf(op), "op " + op.index() + ": read value");
            long lower = r.ownPositive() + negative;
            long upper = positive + r.ownNegative();
            if (value < lower || value > upper) {
              if (errorCount++ < MAX_ERRORS) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("index", op.index());
                e.put("node", node);
                e.put("lower", lower);
                e.put("value", value);
                e.put("upper", upper);
                errors.add(e);
              }
            }
          }
        }
      } else if (op.f().equals("add")) {
        long delta = Values.asLong(history.valueOf(op), "op " + op.index() + ": add value");
        if (op.isInvoke() && !history.completion(op).map(Op::isFail).orElse(false)) {
          if (delta > 0) {
            positive = Math.addExact(positive, delta);
          } else {
            negative = Math.addExact(negative, delta);
          }
        } else if (op.isOk()) {
          own.computeIfAbsent(node, n -> new long[2])[delta > 0 ? 0 : 1] += delta;
        }
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("read-count", reads);
    details.put("error-count", errorCount);
    details.put("errors", errors);
    return CheckResult.of(Validity.of(errorCount == 0), details);
  }

  private static List<String> targets(Op op) {
    Object t = op.extra("targets");
    Object list = t instanceof List ? t : op.value();
    List<String> nodes = new ArrayList<>();
    if (list instanceof List) {
      for (Object o : (List<?>) list) {
        nodes.add(String.valueOf(o));
      }
    }
    return nodes;
  }
}
