package dev.meld.node;

/**
 * The record value of a counter kept as its slots ({@link CounterPieces}): its type, and whether
 * it exists for clients, so that counting the keys at open reads no slot.
 *
 * <pre>
 * header = 0x82 ‖ version 0x01 ‖ flags (bit 0: the counter exists for clients)
 * </pre>
 *
 * The first byte keeps headers apart from whole encoded states (tags 0x01-0x04) and set headers
 * (0x83). Nothing in it changes when a count changes a slot, so an INCR's commit writes its slot
 * and not the header (the store writes nothing for a value put back unchanged). That is why the
 * header holds no digest: the key's digest is the digest of the counter's canonical encoding,
 * exactly as for a whole record (so a peer that stores counters whole agrees), and it changes with
 * every count; it is computed from the slots put back together when the store is scanned.
 *
 * @param exists whether the counter is a key clients see ({@link RecordLattice#exists})
 */
record CounterHeader(boolean exists) {

  static final byte TAG = (byte) 0x82;
  private static final byte VERSION = 1;
  private static final int LENGTH = 3;

  /** Whether a record value is a counter header rather than a whole encoded state. */
  static boolean is(byte[] value) {
    return value.length > 0 && value[0] == TAG;
  }

  byte[] encode() {
    return new byte[] {TAG, VERSION, (byte) (exists ? 1 : 0)};
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
    return new CounterHeader(value[2] == 1);
  }
}
