package dev.meld.node.store;

/**
 * The pieces of one record as they were when the view opened ({@link RecordStore#openPieces}), for
 * a reader that takes its time, such as a long reply written as the client reads it: its scans see
 * no commit made after it opened. One thread at a time may use it. Its owner closes it; an open
 * view keeps what it sees from being compacted away.
 */
public interface PieceView extends AutoCloseable {

  /**
   * As {@link RecordStore#scanPieces}, over the view's moment.
   *
   * @throws IllegalStateException if the view or its store is closed
   */
  void scan(byte[] fromInclusive, byte[] toExclusive, PieceVisitor visitor);

  /** Idempotent. */
  @Override
  void close();
}
