package dev.meld.antientropy;

/**
 * A 128-bit digest: the hash of one key's record, or the sum (mod 2<sup>128</sup>) of the record
 * digests of every key in a segment of the key space.
 *
 * <p>Sums form a group, so a segment digest is updated in O(1) when one record changes: subtract
 * the old record digest, add the new one. The empty segment has digest {@link #ZERO}.
 *
 * @param hi the high 64 bits
 * @param lo the low 64 bits
 */
public record Digest(long hi, long lo) {

  /** The digest of an empty segment. */
  public static final Digest ZERO = new Digest(0, 0);

  /** Returns {@code this + other} mod 2<sup>128</sup>. */
  public Digest plus(Digest other) {
    long sumLo = lo + other.lo;
    long carry = Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0;
    return new Digest(hi + other.hi + carry, sumLo);
  }

  /** Returns {@code this - other} mod 2<sup>128</sup>. */
  public Digest minus(Digest other) {
    long borrow = Long.compareUnsigned(lo, other.lo) < 0 ? 1 : 0;
    return new Digest(hi - other.hi - borrow, lo - other.lo);
  }

  /**
   * Whether this is the digest of an empty segment (or, with probability 2^-128, a sum of zero).
   */
  public boolean isZero() {
    return hi == 0 && lo == 0;
  }

  @Override
  public String toString() {
    return String.format("%016x%016x", hi, lo);
  }
}
