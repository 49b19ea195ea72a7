package dev.meld.antientropy;

import java.util.Arrays;

/**
 * The first {@code size} coded symbols of a rateless invertible Bloom lookup table (RIBLT, Yang,
 * Gilad and Alizadeh, SIGCOMM 2024) over the members of one record: the sketch two replicas
 * subtract and peel to learn which members differ, at a cost per difference rather than per level
 * of a digest descent (see {@link SketchDecoder}).
 *
 * <p>An item is one member: its 64-bit member hash and its {@linkplain #tag tag}, a 32-bit
 * checksum of the item (what a pure cell is recognized by) above 32 bits of a hash of the member's
 * digest (so a member whose content or dots differ is a different item). A cell holds the count of
 * its items, the XOR of their hashes and the XOR of their tags. Which cells an item adds
 * to is drawn from a generator seeded by the whole item ({@link IndexWalk}): seeded by the hash
 * alone, two versions of one member would share every cell, cancel in each, and never peel.
 *
 * <p>Every item adds to cell 0; the next cell after {@code i} is drawn so that an item adds to cell
 * {@code j} with probability {@code 1 / (1 + j/2)}, so an item touches about {@code 2 ln size}
 * cells and a change of one member costs about {@code 4 ln size} cell updates. Symbols are a
 * prefix code: the first {@code n} symbols of a larger table equal a table of size {@code n}, so
 * they can be sent in growing batches until the peer decodes.
 *
 * <p>Counts travel as their low 8 bits: the receiver subtracts its own and works modulo 256, where
 * a pure cell is {@code ±1}. A cell whose true difference is another multiple of 256 plus one is
 * caught by the checksum (2^-32) and by the walk check in {@link SketchDecoder}.
 */
public final class CodedSymbols {

  /** The most symbols a table may have: bounds memory for a table a peer asks for. */
  public static final int MAX_SIZE = 1 << 16;

  private final int[] counts;
  private final long[] hashSums;
  private final long[] tagSums;
  private Digest sum = Digest.ZERO;

  /** An empty table of {@code size} symbols. */
  public CodedSymbols(int size) {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size: " + size + " (expected: 1.." + MAX_SIZE + ")");
    }
    counts = new int[size];
    hashSums = new long[size];
    tagSums = new long[size];
  }

  public int size() {
    return counts.length;
  }

  /** Adds the member of {@code memberHash} whose digest is {@code digest}. */
  public void add(long memberHash, Digest digest) {
    update(memberHash, tag(memberHash, digest), 1);
    sum = sum.plus(digest);
  }

  /** Removes the member of {@code memberHash} whose digest is {@code digest} (it was added). */
  public void remove(long memberHash, Digest digest) {
    update(memberHash, tag(memberHash, digest), -1);
    sum = sum.minus(digest);
  }

  /**
   * The sum of the digests of the members these symbols cover: equal on two sides exactly when
   * their members are (but for a 2^-128 accident), so a peer learns from it whether to decode at
   * all, and whether a decode that found no difference missed one.
   */
  public Digest sum() {
    return sum;
  }

  /**
   * Replaces a member's version: {@code before} or {@code after} is {@link Digest#ZERO} when the
   * member was absent before or is absent after.
   */
  public void change(long memberHash, Digest before, Digest after) {
    if (!before.isZero()) {
      remove(memberHash, before);
    }
    if (!after.isZero()) {
      add(memberHash, after);
    }
  }

  void update(long hash, long tag, int sign) {
    IndexWalk walk = new IndexWalk(hash, tag);
    for (int i = walk.index(); i < counts.length; i = walk.next()) {
      counts[i] += sign;
      hashSums[i] ^= hash;
      tagSums[i] ^= tag;
    }
  }

  /** The low 8 bits of cell {@code i}'s count, as it travels. */
  public int count(int i) {
    return counts[i] & 0xff;
  }

  public long hashSum(int i) {
    return hashSums[i];
  }

  public long tagSum(int i) {
    return tagSums[i];
  }

  /** The counts (low 8 bits) of symbols {@code [from, from + n)}, as they travel. */
  public int[] counts(int from, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = count(from + i);
    }
    return out;
  }

  /** The hash sums of symbols {@code [from, from + n)}. */
  public long[] hashSums(int from, int n) {
    return Arrays.copyOfRange(hashSums, from, from + n);
  }

  /** The tag sums of symbols {@code [from, from + n)}. */
  public long[] tagSums(int from, int n) {
    return Arrays.copyOfRange(tagSums, from, from + n);
  }

  /** A copy of this table's first {@code size} symbols (a table of that size, being a prefix). */
  public CodedSymbols prefix(int size) {
    CodedSymbols copy = new CodedSymbols(size);
    System.arraycopy(counts, 0, copy.counts, 0, size);
    System.arraycopy(hashSums, 0, copy.hashSums, 0, size);
    System.arraycopy(tagSums, 0, copy.tagSums, 0, size);
    copy.sum = sum;
    return copy;
  }

  /**
   * An item's tag: a checksum of the whole item (high 32 bits) above a fingerprint of its digest
   * (low 32 bits). Two versions of one member differ in the fingerprint except with probability
   * 2^-32; such a pair is missed by the sketch, and the record then falls back to the digest
   * descent when the sketch decodes no difference (see the anti-entropy README).
   *
   * <p>The checksum covers the fingerprint, not the hash alone: two versions of one member in one
   * cell cancel in the hash sum, so with a checksum of the hash alone a cell holding them and one
   * other item would pass as that other item (found by the property test).
   */
  static long tag(long hash, Digest digest) {
    long fingerprint = mix(digest.hi() ^ mix(digest.lo())) >>> 32;
    return (checksum(hash, fingerprint) << 32) | fingerprint;
  }

  /** Whether {@code tag} is the tag of an item of {@code hash}: its checksum matches. */
  static boolean consistent(long hash, long tag) {
    return (tag >>> 32) == checksum(hash, tag & 0xffffffffL);
  }

  private static long checksum(long hash, long fingerprint) {
    return mix(hash ^ mix(fingerprint ^ 0x6a09e667f3bcc909L)) >>> 32;
  }

  /** SplitMix64's finalizer: a bijection of 64-bit values that mixes every bit into every bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodedSymbols c
        && sum.equals(c.sum)
        && Arrays.equals(counts, c.counts)
        && Arrays.equals(hashSums, c.hashSums)
        && Arrays.equals(tagSums, c.tagSums);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hashSums);
  }

  /**
   * The cells one item adds to, in increasing order: 0, then each next index drawn from the item's
   * own generator.
   *
   * <p>Why the gap: we want the item in cell {@code j} with probability {@code ρ(j) = 1/(1 + j/2)}
   * independently (the paper's α = 1/2), so the chance of skipping every cell after {@code i} up to
   * {@code j} is {@code Π k/(k + 2) = (i + 1)(i + 2) / ((j + 1)(j + 2))}. Setting that equal to a
   * uniform {@code u} in (0, 1] and solving the quadratic gives {@code j = (sqrt(1 + 4(i + 1)(i +
   * 2)/u) - 3)/2}; its ceiling (at least {@code i + 1}) is the next cell, with exactly that
   * distribution: one draw per cell visited, not per cell.
   */
  static final class IndexWalk {
    private long state;
    private int index;

    IndexWalk(long hash, long tag) {
      this.state = mix(hash * 0x9e3779b97f4a7c15L ^ tag);
    }

    /** The current cell. */
    int index() {
      return index;
    }

    /** Moves to the next cell; {@link Integer#MAX_VALUE} once past any table's size. */
    int next() {
      state += 0x9e3779b97f4a7c15L;
      double u = ((mix(state) >>> 11) + 1) * 0x1.0p-53;
      double j = Math.ceil((Math.sqrt(1 + 4 * (index + 1.0) * (index + 2.0) / u) - 3) / 2);
      index = j >= MAX_SIZE ? Integer.MAX_VALUE : Math.max(index + 1, (int) j);
      return index;
    }
  }
}
