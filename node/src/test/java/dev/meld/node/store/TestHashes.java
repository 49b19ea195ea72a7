package dev.meld.node.store;

import java.util.function.ToLongFunction;

/** Key hash functions for tests, chosen so that unsigned order and collisions get exercised. */
public final class TestHashes {

  /**
   * Hash by the key's first byte, through a table with values whose signed and unsigned orders
   * differ. Keys with the same first byte collide, which exercises ordering by key bytes.
   */
  public static final long[] TABLE = {
    0L,
    1L,
    0x7FFF_FFFF_FFFF_FFFFL,
    0x8000_0000_0000_0000L,
    -1L,
    0x0123_4567_89AB_CDEFL,
    0xFEDC_BA98_7654_3210L,
    42L
  };

  public static final ToLongFunction<byte[]> FIRST_BYTE =
      key -> key.length == 0 ? 0 : TABLE[(key[0] & 0xFF) % TABLE.length];

  /** A well-mixed hash (FNV-1a then a 64-bit finalizer): few collisions, any bit pattern. */
  public static final ToLongFunction<byte[]> MIXED =
      key -> {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
          h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
      };

  private TestHashes() {}
}
