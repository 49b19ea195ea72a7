package dev.meld.node.store;

import java.nio.charset.StandardCharsets;

/**
 * The key spaces of a store; each is one RocksDB column family and one sorted map in memory. All
 * spaces order keys as unsigned bytes, lexicographically.
 */
enum Space {
  /** Store bookkeeping: format, open marker, key count, per-origin log head and trim point. */
  SYS("default"),
  /** Records: {@code keyHash64 (8 bytes, big-endian) ‖ key} to encoded state. */
  RECORDS("records"),
  /**
   * Pieces of records: {@code keyHash64 ‖ keyLength (4 bytes, big-endian) ‖ key ‖ piece} to the
   * piece's value; see {@link Keys}.
   */
  PIECES("pieces"),
  /** Replication log: {@code origin ‖ seq (8 bytes, big-endian)} to payload. */
  LOG("log"),
  /** Cursors: {@code origin} to applied-through sequence (8 bytes, big-endian). */
  CURSORS("cursors"),
  /** Meta values: UTF-8 name to value. */
  META("meta");

  private final String columnFamily;

  Space(String columnFamily) {
    this.columnFamily = columnFamily;
  }

  byte[] columnFamilyName() {
    return columnFamily.getBytes(StandardCharsets.UTF_8);
  }
}
