package dev.meld.node.store;

/** Receives records in physical order during a {@link RecordStore#scan}. */
@FunctionalInterface
public interface RecordVisitor {

  /**
   * Visits one record. The arrays are the visitor's own.
   *
   * @return {@code true} to continue the scan, {@code false} to stop it
   */
  boolean visit(long keyHash, byte[] key, byte[] value);
}
