package dev.meld.crdt;

import org.quicktheories.core.Gen;

/**
 * A type under test, as the laws see it: how to make its bottom state, generate and apply
 * operations, join states, encode them, and what simple sequential model it must agree with.
 * Deliberately wrong implementations override {@link #join} to show the laws catch them.
 *
 * @param <T> the type
 * @param <O> its operations
 */
public interface CrdtSpec<T extends Crdt<T>, O> {
  /** The never-written state. */
  T empty();

  /** Operations over a small domain, so that they collide. */
  Gen<O> ops();

  /** Operations one replica issues in sequence (by default the same as {@link #ops}). */
  default Gen<O> sequentialOps() {
    return ops();
  }

  /** Applies {@code op} at {@code replica}: changes {@code state}, returns the delta. */
  T apply(T state, ReplicaId replica, O op);

  /** The join the laws check; the real {@link Crdt#merge} unless a test breaks it on purpose. */
  default T join(T a, T b) {
    return a.merge(b);
  }

  default byte[] encode(T state) {
    return CrdtCodec.encode(state);
  }

  T decode(byte[] bytes);

  /** What a reader of {@code state} sees (a value, a set of elements). */
  Object read(T state);

  SequentialModel<O> model();
}
