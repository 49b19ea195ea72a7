package dev.meld.antientropy;

/**
 * A segment of the key space: every key whose {@link KeyHashing#keyHash64 keyHash64} starts with
 * the {@code bits}-bit {@code prefix}. Segment {@code (0, 0)} is the whole key space; a segment
 * with {@code bits = 64} is a single hash value.
 *
 * <p>Because the record store is ordered by {@code (keyHash64 unsigned, key)}, a segment is the
 * contiguous range {@code [first(), last()]} of that order.
 *
 * @param bits how many leading hash bits the segment fixes, 0 to 64
 * @param prefix those bits, right-aligned: {@code 0 <= prefix < 2^bits} (unsigned)
 */
public record Segment(int bits, long prefix) {

  /** The whole key space. */
  public static final Segment ROOT = new Segment(0, 0);

  public Segment {
    if (bits < 0 || bits > 64) {
      throw new IllegalArgumentException("bits: " + bits + " (expected: 0..64)");
    }
    if (bits < 64 && (prefix >>> bits) != 0) {
      throw new IllegalArgumentException(
          "prefix: 0x" + Long.toHexString(prefix) + " (expected: < 2^" + bits + ")");
    }
  }

  /** The segment at {@code bits} that contains {@code keyHash}. */
  public static Segment of(long keyHash, int bits) {
    return new Segment(bits, bits == 0 ? 0 : keyHash >>> (64 - bits));
  }

  /** The lowest key hash in this segment. */
  public long first() {
    return bits == 0 ? 0 : prefix << (64 - bits);
  }

  /** The highest key hash in this segment (unsigned). */
  public long last() {
    // Java masks shift distances to 6 bits: -1L >>> 64 is -1L, not 0, hence the explicit case.
    return bits == 64 ? prefix : first() | (-1L >>> bits);
  }

  /** Whether {@code keyHash} falls in this segment. */
  public boolean contains(long keyHash) {
    return bits == 0 || keyHash >>> (64 - bits) == prefix;
  }

  /**
   * The {@code index}-th sub-segment at {@code childBits} (0 to {@code 2^(childBits - bits) - 1}).
   */
  public Segment child(int childBits, long index) {
    int shift = childBits - bits;
    if (shift < 0 || shift > 16 || childBits > 64) {
      throw new IllegalArgumentException(
          "childBits: " + childBits + " (expected: " + bits + ".." + Math.min(64, bits + 16) + ")");
    }
    if (index < 0 || index >= 1L << shift) {
      throw new IllegalArgumentException(
          "index: " + index + " (expected: 0.." + ((1L << shift) - 1) + ")");
    }
    return new Segment(childBits, (prefix << shift) | index);
  }

  /** The enclosing segment at {@code ancestorBits} (at most {@code bits}). */
  public Segment ancestor(int ancestorBits) {
    if (ancestorBits < 0 || ancestorBits > bits) {
      throw new IllegalArgumentException(
          "ancestorBits: " + ancestorBits + " (expected: 0.." + bits + ")");
    }
    return ancestorBits == 0 ? ROOT : new Segment(ancestorBits, prefix >>> (bits - ancestorBits));
  }

  @Override
  public String toString() {
    return bits + "/" + Long.toHexString(prefix);
  }
}
