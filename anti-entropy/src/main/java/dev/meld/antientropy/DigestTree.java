package dev.meld.antientropy;

/**
 * The Merkle digests of one replica's key space: the sum of record digests per segment, kept at a
 * fine leaf level and at coarser interior levels.
 *
 * <p>A key's leaf is the top {@link #leafBits()} bits of its {@link KeyHashing#keyHash64
 * keyHash64}, a pure function of the key. A write updates one leaf in O(1) (the caller passes the
 * record's old and new digest; {@link Digest#ZERO} for "absent") and marks the leaf's ancestors
 * dirty; interior digests are recomputed lazily, only where dirty, when someone reads them. Any
 * level up to the leaf level can be read: a level between two stored ones folds at most {@code
 * 2^(fanoutBits - 1)} nodes of the next finer stored level. Levels below the leaf level are not
 * stored; a sync session computes them by listing the (few) records of one leaf, which a store
 * ordered by {@code (keyHash64, key)} does without scanning any other segment.
 *
 * <p>The leaf level is chosen by key count ({@link #leafBitsFor}): about {@value #KEYS_PER_LEAF}
 * keys per leaf, so a hundred keys make a 16-leaf tree and a million keys a 65,536-leaf tree. The
 * owner rebuilds the tree at a new leaf level when {@link #suits(long)} says the count has drifted
 * too far (amortized O(1) per write, like a hash table resize).
 *
 * <p>Not thread-safe: the owner serializes writes and reads.
 */
public final class DigestTree {

  /** The target number of keys per leaf. */
  public static final int KEYS_PER_LEAF = 16;

  /** The finest leaf level a tree may have (2^22 leaves, 64 MiB of digests). */
  public static final int MAX_LEAF_BITS = 22;

  /** The default spacing, in bits, between stored levels. */
  public static final int DEFAULT_FANOUT_BITS = 4;

  /*
   * Layout. levels[] lists the stored levels in ascending bits: the leaf level L, then L - f,
   * L - 2f, ... while positive, then 0 (the root). With L = 10 and f = 4: {0, 2, 6, 10}.
   * sums[k] holds (hi, lo) pairs for the 2^levels[k] nodes of level k; dirty[k] is a bit set over
   * those nodes (the leaf level is never dirty).
   *
   * Why a sum (mod 2^128) and not XOR: both are order-independent and O(1) to update, but XOR is
   * its own inverse, so an update applied twice cancels silently back to a plausible digest (a
   * sum drifts and differs from a rebuild), and XOR sets are linear over GF(2), so colliding key
   * sets can be built by Gaussian elimination. Sums also let two replicas' totals name a single
   * one-sided difference (see Part.Probe).
   *
   * Invariant: a dirty node's ancestors are dirty. A write therefore marks ancestors bottom-up and
   * stops at the first one already dirty, so a burst of writes to one region costs one bit test
   * each after the first. Cleaning a node first cleans its dirty children, which keeps the
   * invariant: a node is only clean when everything below it is.
   */
  private final int leafBits;
  private final int fanoutBits;
  private final int[] levels;
  private final long[][] sums;
  private final long[][] dirty;
  private final int top;
  private long size;
  private long keyHashSum;

  /**
   * An empty tree with {@code 2^leafBits} leaves and a stored level every {@code fanoutBits} bits.
   */
  public DigestTree(int leafBits, int fanoutBits) {
    if (leafBits < 0 || leafBits > MAX_LEAF_BITS) {
      throw new IllegalArgumentException(
          "leafBits: " + leafBits + " (expected: 0.." + MAX_LEAF_BITS + ")");
    }
    if (fanoutBits < 1 || fanoutBits > 8) {
      throw new IllegalArgumentException("fanoutBits: " + fanoutBits + " (expected: 1..8)");
    }
    this.leafBits = leafBits;
    this.fanoutBits = fanoutBits;
    int count = leafBits == 0 ? 1 : 1 + (leafBits + fanoutBits - 1) / fanoutBits;
    this.levels = new int[count];
    for (int k = count - 1, bits = leafBits; k > 0; k--, bits -= fanoutBits) {
      levels[k] = bits;
    }
    this.top = count - 1;
    this.sums = new long[count][];
    this.dirty = new long[count][];
    for (int k = 0; k < count; k++) {
      sums[k] = new long[2 << levels[k]];
      dirty[k] = k == top ? new long[0] : new long[Math.max(1, (1 << levels[k]) >>> 6)];
    }
  }

  /** An empty tree sized for {@code keyCount} keys with the default fan-out. */
  public static DigestTree sizedFor(long keyCount) {
    return new DigestTree(leafBitsFor(keyCount), DEFAULT_FANOUT_BITS);
  }

  /** The leaf level for {@code keyCount} keys: about {@value #KEYS_PER_LEAF} keys per leaf. */
  public static int leafBitsFor(long keyCount) {
    if (keyCount < 0) {
      throw new IllegalArgumentException("keyCount: " + keyCount + " (expected: >= 0)");
    }
    long leaves = keyCount / KEYS_PER_LEAF;
    int bits = leaves <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(leaves - 1);
    return Math.min(bits, MAX_LEAF_BITS);
  }

  /** Whether this tree's leaf level is within one bit of the ideal one for {@code keyCount}. */
  public boolean suits(long keyCount) {
    return Math.abs(leafBitsFor(keyCount) - leafBits) <= 1;
  }

  public int leafBits() {
    return leafBits;
  }

  public int fanoutBits() {
    return fanoutBits;
  }

  /**
   * Replaces the record digest {@code before} of a key with hash {@code keyHash} by {@code after}:
   * {@code before = ZERO} adds the key, {@code after = ZERO} removes it.
   */
  public void update(long keyHash, Digest before, Digest after) {
    update(keyHash, before.hi(), before.lo(), after.hi(), after.lo());
  }

  /** {@link #update(long, Digest, Digest)} on primitive halves, without allocating. */
  public void update(long keyHash, long beforeHi, long beforeLo, long afterHi, long afterLo) {
    boolean wasAbsent = beforeHi == 0 && beforeLo == 0;
    boolean isAbsent = afterHi == 0 && afterLo == 0;
    if (wasAbsent != isAbsent) {
      size += wasAbsent ? 1 : -1;
      keyHashSum += wasAbsent ? keyHash : -keyHash;
    }
    int leaf = leafBits == 0 ? 0 : (int) (keyHash >>> (64 - leafBits));
    long borrow = Long.compareUnsigned(afterLo, beforeLo) < 0 ? 1 : 0;
    add(sums[top], leaf << 1, afterHi - beforeHi - borrow, afterLo - beforeLo);
    for (int k = top - 1; k >= 0; k--) {
      int node = leaf >>> (leafBits - levels[k]);
      long[] bitsOfLevel = dirty[k];
      long mask = 1L << node;
      if ((bitsOfLevel[node >>> 6] & mask) != 0) {
        return;
      }
      bitsOfLevel[node >>> 6] |= mask;
    }
  }

  /** How many keys the tree holds: adds minus removes. */
  public long size() {
    return size;
  }

  /**
   * The sum (mod 2^64) of the key hashes of every key held. With {@link #size()} and {@link
   * #root()}, it lets a session recognize a single one-sided difference between two replicas from
   * the roots alone: if one side holds exactly one more key than the other and the sums differ by
   * exactly one key hash and one record digest held by that side, that record is the difference.
   */
  public long keyHashSum() {
    return keyHashSum;
  }

  /** The digest of the whole key space. */
  public Digest root() {
    return digest(Segment.ROOT);
  }

  /** The digest of {@code segment}, which must be no finer than the leaf level. */
  public Digest digest(Segment segment) {
    int bits = segment.bits();
    if (bits > leafBits) {
      throw new IllegalArgumentException(
          "segment bits: " + bits + " (expected: <= leafBits " + leafBits + ")");
    }
    int k = 0;
    while (levels[k] < bits) {
      k++;
    }
    int span = levels[k] - bits;
    int first = (int) segment.prefix() << span;
    long hi = 0;
    long lo = 0;
    long[] level = sums[k];
    for (int node = first; node < first + (1 << span); node++) {
      clean(k, node);
      long nodeLo = level[(node << 1) + 1];
      lo += nodeLo;
      hi += level[node << 1] + (Long.compareUnsigned(lo, nodeLo) < 0 ? 1 : 0);
    }
    return new Digest(hi, lo);
  }

  private void clean(int k, int node) {
    if (k == top) {
      return;
    }
    long[] bitsOfLevel = dirty[k];
    long mask = 1L << node;
    if ((bitsOfLevel[node >>> 6] & mask) == 0) {
      return;
    }
    int span = levels[k + 1] - levels[k];
    int first = node << span;
    long[] children = sums[k + 1];
    long hi = 0;
    long lo = 0;
    for (int child = first; child < first + (1 << span); child++) {
      clean(k + 1, child);
      long childLo = children[(child << 1) + 1];
      lo += childLo;
      hi += children[child << 1] + (Long.compareUnsigned(lo, childLo) < 0 ? 1 : 0);
    }
    sums[k][node << 1] = hi;
    sums[k][(node << 1) + 1] = lo;
    bitsOfLevel[node >>> 6] &= ~mask;
  }

  private static void add(long[] pairs, int i, long hi, long lo) {
    long sumLo = pairs[i + 1] + lo;
    pairs[i] += hi + (Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0);
    pairs[i + 1] = sumLo;
  }
}
