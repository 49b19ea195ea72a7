package dev.meld.antientropy;

import java.nio.ByteBuffer;
import net.openhft.hashing.LongHashFunction;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * The two hashes anti-entropy is built on: where a key lives in the key space, and what a key's
 * record contains.
 *
 * <h2>Contract: {@link #keyHash64(byte[])} orders the store</h2>
 *
 * A replica's record store orders its records by {@code (keyHash64(key) as unsigned, key bytes as
 * unsigned lexicographic)}. Anti-entropy segments are prefixes of {@code keyHash64}, so every
 * segment at every level is one contiguous range of that order, and a store can list one segment (a
 * seek and a short scan) without touching any other. The function is XXH3-64 with seed 0 over the
 * raw key bytes; changing it changes every replica's layout and every digest, so it is part of the
 * on-disk and on-wire format.
 *
 * <h2>Record digests cover content</h2>
 *
 * {@link #recordDigest(byte[], byte[])} is the 128-bit XXH3 of {@code int32 big-endian key length
 * || key || encoded state}. The length prefix makes the encoding unambiguous (key "ab" with state
 * "c" and key "a" with state "bc" hash different bytes). Because the digest covers the encoded
 * state itself, not a version number, two replicas that hold the same key with different content
 * always see different digests.
 */
public final class KeyHashing {

  private static final LongHashFunction XXH3_64 = LongHashFunction.xx3();
  private static final LongTupleHashFunction XXH3_128 = LongTupleHashFunction.xx128();

  private KeyHashing() {}

  /**
   * The key's position in the key space: XXH3-64 (seed 0) of the key bytes. The record store sorts
   * by this value (unsigned), then by key bytes; see the class documentation.
   */
  public static long keyHash64(byte[] key) {
    return XXH3_64.hashBytes(key);
  }

  /** The 128-bit content digest of one record: XXH3-128 of {@code len(key) || key || state}. */
  public static Digest recordDigest(byte[] key, byte[] state) {
    ByteBuffer buf = ByteBuffer.allocate(Integer.BYTES + key.length + state.length);
    buf.putInt(key.length).put(key).put(state);
    long[] hash = XXH3_128.hashBytes(buf.array());
    return new Digest(hash[1], hash[0]);
  }
}
