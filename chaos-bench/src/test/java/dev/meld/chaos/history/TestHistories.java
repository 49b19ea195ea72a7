package dev.meld.chaos.history;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds histories in tests the way Jepsen's own tests do: ops written without index or time, then
 * numbered in order, one millisecond apart.
 */
public final class TestHistories {

  private static final long MS = 1_000_000L;

  private TestHistories() {}

  public static Op invoke(long process, String f, Object value) {
    return new Op(0, 0, OpType.INVOKE, process, f, value);
  }

  public static Op ok(long process, String f, Object value) {
    return new Op(0, 0, OpType.OK, process, f, value);
  }

  public static Op fail(long process, String f, Object value) {
    return new Op(0, 0, OpType.FAIL, process, f, value);
  }

  public static Op info(long process, String f, Object value) {
    return new Op(0, 0, OpType.INFO, process, f, value);
  }

  /** Jepsen's test helper: index i and time i ms for the i-th op. */
  public static History history(Op... ops) {
    return history(List.of(ops));
  }

  public static History history(List<Op> ops) {
    List<Op> numbered = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      numbered.add(new Op(i, i * MS, op.type(), op.process(), op.f(), op.value(), op.extras()));
    }
    return History.of(numbered);
  }

  /** The same op at another index and time. */
  public static Op at(Op op, long index, long time) {
    return new Op(index, time, op.type(), op.process(), op.f(), op.value(), op.extras());
  }
}
