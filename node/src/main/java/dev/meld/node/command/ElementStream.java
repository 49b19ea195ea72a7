package dev.meld.node.command;

import dev.meld.crdt.Bytes;
import java.util.function.Consumer;

/**
 * The elements of a reply too large to build whole ({@link Reply.Stream}): the state at the
 * command's place in the replica's order, read a chunk at a time by whoever writes the reply (the
 * client port, as fast as the client reads), on any one thread at a time. Whoever receives the
 * reply closes the stream, read to its end or not.
 */
public interface ElementStream extends AutoCloseable {

  /** How many elements the stream yields in all, known before the first is read. */
  long count();

  /**
   * Hands the next elements, at most {@code max} of them, to {@code sink}.
   *
   * @return whether elements remain after these (false: this call handed the last, if any)
   * @throws IllegalStateException if the stream cannot go on: it or its store was closed, or the
   *     store yields a different number of elements than {@link #count()} promised
   */
  boolean next(int max, Consumer<Bytes> sink);

  /** Releases what the stream pins; idempotent. */
  @Override
  void close();
}
