package dev.meld.node;

import dev.meld.antientropy.Digest;
import java.nio.ByteBuffer;

/**
 * The record value of a counter kept as its slots ({@link CounterPieces}): what anti-entropy and
 * the key count need without reading the slots.
 *
 * <pre>
 * header = 0x82 ‖ version 0x01 ‖ flags (bit 0: the counter exists for clients)
 *        ‖ digest (hi, lo: u64 BE each)
 * </pre>
 *
 * The first byte keeps headers apart from whole encoded states (tags 0x01-0x04) and set headers
 * (0x83). {@code digest} is the key's anti-entropy digest exactly as for a whole record: the digest
 * of the counter's canonical encoding, so a peer that stores counters whole, or an older Meld,
 * agrees on it. It is written with the slots it sums up, in the same batch.
 *
 * @param digest {@code KeyHashing.recordDigest(key, canonical encoding)}
 * @param exists whether the counter is a key clients see ({@link RecordLattice#exists})
 */
record CounterHeader(Digest digest, boolean exists) {

  static final byte TAG = (byte) 0x82;
  private static final byte VERSION = 1;
  private static final int LENGTH = 3 + 2 * Long.BYTES;

  /** Whether a record value is a counter header rather than a whole encoded state. */
  static boolean is(byte[] value) {
    return value.length > 0 && value[0] == TAG;
  }

  byte[] encode() {
    return ByteBuffer.allocate(LENGTH)
        .put(TAG)
        .put(VERSION)
        .put((byte) (exists ? 1 : 0))
        .putLong(digest.hi())
        .putLong(digest.lo())
        .array();
  }

  /**
   * @throws IllegalStateException if {@code value} is not a header this version writes: the store
   *     is damaged or newer
   */
  static CounterHeader decode(byte[] value) {
    if (!is(value) || value.length != LENGTH || value[1] != VERSION || (value[2] & ~1) != 0) {
      throw new IllegalStateException(
          "counter header of "
              + value.length
              + " bytes (expected: tag 0x82, version 1, flags 0 or 1, "
              + LENGTH
              + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(value, 3, 2 * Long.BYTES);
    return new CounterHeader(new Digest(in.getLong(), in.getLong()), value[2] == 1);
  }
}
