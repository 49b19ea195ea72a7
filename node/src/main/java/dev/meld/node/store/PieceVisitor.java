package dev.meld.node.store;

/**
 * Receives the pieces of one record, in unsigned byte order of piece keys, during {@link
 * RecordStore#scanPieces}.
 */
@FunctionalInterface
public interface PieceVisitor {

  /**
   * Visits one piece. The arrays are the visitor's own.
   *
   * @return {@code true} to continue the scan, {@code false} to stop it
   */
  boolean visit(byte[] piece, byte[] value);
}
