package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client op with its completion: the invocation and the {@code ok}/{@code fail}/{@code info} that
 * ended it (null if the history ended first, which counts as {@code info}).
 *
 * <p>"Before" is history order: op A happened before op B if A completed before B was invoked. An
 * op that did not fail may have taken effect at any point between its invocation and its {@link
 * #end()}, which is infinity for an indeterminate op (a request queued at a paused node may run
 * long after its client gave up).
 *
 * @param invoke the invocation
 * @param completion the completion, or null
 * @param lossy true for an {@code ok} write that a disk wipe may have destroyed before it reached
 *     another node (see {@link SimCluster#wipe}): it counts as indeterminate
 */
record OpPair(SimOp invoke, SimOp completion, boolean lossy) {

  /** The outcome: {@code INFO} when there is no completion or the write may have been wiped. */
  SimOp.Type outcome() {
    if (completion == null) {
      return SimOp.Type.INFO;
    }
    if (lossy && completion.type() == SimOp.Type.OK) {
      return SimOp.Type.INFO;
    }
    return completion.type();
  }

  /** The completion as the client saw it: ok even when lossy. */
  boolean acknowledged() {
    return completion != null && completion.type() == SimOp.Type.OK;
  }

  boolean failed() {
    return completion != null && completion.type() == SimOp.Type.FAIL;
  }

  /** The history index of the invocation. */
  long start() {
    return invoke.index();
  }

  /** The last history index at which this op may have taken effect. */
  long end() {
    boolean known =
        completion != null
            && (completion.type() == SimOp.Type.OK || completion.type() == SimOp.Type.FAIL);
    return known ? completion.index() : Long.MAX_VALUE;
  }

  String f() {
    return invoke.f();
  }

  String key() {
    return invoke.key();
  }

  String node() {
    return invoke.node();
  }

  /** The op's value: the invocation's for writes, the completion's for reads. */
  Object value() {
    return completion != null && completion.value() != null ? completion.value() : invoke.value();
  }

  /** The invocation and, if any, the completion. */
  List<SimOp> ops() {
    return completion == null ? List.of(invoke) : List.of(invoke, completion);
  }

  /**
   * Pairs the client ops of {@code history} by process, in invocation order.
   *
   * @param lossy invocation indices of ok writes a wipe may have destroyed
   * @throws IllegalArgumentException if a process completes an op it never invoked or invokes a
   *     second op before completing the first
   */
  static List<OpPair> pair(List<SimOp> history, Set<Long> lossy) {
    List<OpPair> pairs = new ArrayList<>();
    Map<Integer, Integer> open = new HashMap<>();
    for (SimOp op : history) {
      if (op.isNemesis()) {
        continue;
      }
      Integer pending = open.get(op.process());
      if (op.type() == SimOp.Type.INVOKE) {
        if (pending != null) {
          throw new IllegalArgumentException(
              "op " + op + " (expected: process p" + op.process() + " to complete its last op)");
        }
        open.put(op.process(), pairs.size());
        pairs.add(new OpPair(op, null, false));
      } else {
        if (pending == null) {
          throw new IllegalArgumentException("op " + op + " (expected: an invocation before it)");
        }
        OpPair invoked = pairs.get(pending);
        pairs.set(
            pending, new OpPair(invoked.invoke(), op, lossy.contains(invoked.invoke().index())));
        open.remove(op.process());
      }
    }
    return pairs;
  }
}
