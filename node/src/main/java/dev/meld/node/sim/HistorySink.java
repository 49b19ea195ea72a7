package dev.meld.node.sim;

/**
 * Where a simulated cluster writes its history, op by op, in index order. The simulator's own
 * checks read a {@link SimHistory}; the chaos bench plugs in its JSON Lines recorder.
 */
@FunctionalInterface
public interface HistorySink {

  /** Takes the next op; called from the simulation's only thread. */
  void record(SimOp op);
}
