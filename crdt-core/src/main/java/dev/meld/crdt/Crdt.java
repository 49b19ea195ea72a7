package dev.meld.crdt;

/**
 * A state-based CRDT: a state in a join-semilattice. {@code merge} is the join, so it is
 * commutative, associative and idempotent, and replicas that have merged the same states are
 * equal whatever the order. {@code equals} and {@code hashCode} are over the canonical form, the
 * same form {@link CrdtCodec} encodes.
 *
 * <p>States are mutable. Each type's mutators change the state and return a <em>delta</em>: a
 * small, fresh state of the same type such that {@code before.merge(delta).equals(after)}.
 * Applying a delta received from a peer is {@link #mergeFrom}: the same code as merging a full
 * state.
 *
 * @param <T> the type itself
 */
public interface Crdt<T extends Crdt<T>> {
  /** The join of this and {@code other}, as a new state; neither input changes. */
  default T merge(T other) {
    T result = copy();
    result.mergeFrom(other);
    return result;
  }

  /**
   * Joins {@code other} into this state in place; {@code other} does not change. Costs in
   * proportion to the size of {@code other}, not of this state.
   *
   * @return true iff this state changed
   */
  boolean mergeFrom(T other);

  /** An independent copy: changing one does not change the other. */
  T copy();

  /** Which type this is, with the tag byte that starts its encoding. */
  CrdtType type();
}
