package dev.meld.node.store;

/**
 * Size limits a store enforces on everything written to it. Every limit is checked before the
 * offending bytes are copied, and a violation changes nothing.
 *
 * @param maxKeyBytes longest record key
 * @param maxValueBytes largest record value (encoded CRDT state), largest piece key, largest piece
 *     value and largest log payload
 * @param maxMetaBytes largest meta value
 * @param maxBatchBytes largest total of keys and values in one {@link StoreBatch}
 */
public record StoreLimits(
    int maxKeyBytes, int maxValueBytes, int maxMetaBytes, long maxBatchBytes) {

  /**
   * Longest meta name and longest node name, in UTF-8 bytes (they are length-prefixed by one byte).
   */
  public static final int MAX_NAME_BYTES = 255;

  /** 64 KiB keys, 32 MiB values, 64 KiB meta values, 256 MiB per batch. */
  public static final StoreLimits DEFAULTS =
      new StoreLimits(64 * 1024, 32 * 1024 * 1024, 64 * 1024, 256L * 1024 * 1024);

  public StoreLimits {
    positive("maxKeyBytes", maxKeyBytes);
    positive("maxValueBytes", maxValueBytes);
    positive("maxMetaBytes", maxMetaBytes);
    if (maxBatchBytes < maxValueBytes) {
      throw new IllegalArgumentException(
          "maxBatchBytes: "
              + maxBatchBytes
              + " (expected: >= maxValueBytes "
              + maxValueBytes
              + ")");
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  void checkKey(byte[] key) {
    checkLength("key", key, maxKeyBytes);
  }

  void checkValue(String what, byte[] value) {
    checkLength(what, value, maxValueBytes);
  }

  /** A piece key: bounded, and non-empty so that the empty scan bound lies before every piece. */
  void checkPiece(byte[] piece) {
    checkLength("piece", piece, maxValueBytes);
    if (piece.length == 0) {
      throw new IllegalArgumentException("piece length: 0 (expected: >= 1)");
    }
  }

  void checkMeta(byte[] value) {
    checkLength("meta value", value, maxMetaBytes);
  }

  private static void checkLength(String what, byte[] bytes, int max) {
    if (bytes == null) {
      throw new NullPointerException(what);
    }
    if (bytes.length > max) {
      throw new IllegalArgumentException(
          what + " length: " + bytes.length + " (expected: <= " + max + ")");
    }
  }
}
