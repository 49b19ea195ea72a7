package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A history kept in memory, in index order: the input of {@link HistoryChecks}. */
public final class SimHistory implements HistorySink {

  private final List<SimOp> ops = new ArrayList<>();

  @Override
  public void record(SimOp op) {
    if (op.index() != ops.size()) {
      throw new IllegalArgumentException(
          "op index: " + op.index() + " (expected: " + ops.size() + ", the next index)");
    }
    ops.add(op);
  }

  /** Every op so far, in index order (a read-only view). */
  public List<SimOp> ops() {
    return Collections.unmodifiableList(ops);
  }

  public int size() {
    return ops.size();
  }
}
