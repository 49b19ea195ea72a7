package dev.meld.crdt;

/**
 * Bounds on what a decoder accepts, checked before anything is allocated from a length or count.
 *
 * @param maxInputBytes the longest input, in bytes
 * @param maxEntries the most entries in any one collection (replicas in a vector, dots in a cloud,
 *     elements in a set, dots of an element)
 * @param maxElementBytes the longest element or register value, in bytes (replica names are
 *     further bounded by {@link ReplicaId#MAX_NODE_BYTES})
 */
public record DecodeLimits(int maxInputBytes, int maxEntries, int maxElementBytes) {
  /** 16 MiB of input, 1,000,000 entries per collection, 1 MiB per element. */
  public static final DecodeLimits DEFAULT = new DecodeLimits(16 << 20, 1_000_000, 1 << 20);

  public DecodeLimits {
    requirePositive("maxInputBytes", maxInputBytes);
    requirePositive("maxEntries", maxEntries);
    requirePositive("maxElementBytes", maxElementBytes);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
    }
  }
}
