package dev.meld.crdt;

/**
 * The simple sequential thing a type must behave like at a single replica: a long for counters,
 * a {@code HashSet} for sets, a variable for registers.
 *
 * @param <O> the type's operations
 */
public interface SequentialModel<O> {
  void apply(O op);

  /** What a reader sees; compared with {@link CrdtSpec#read} of the real state. */
  Object read();
}
