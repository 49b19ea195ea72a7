package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The members of a set in several ranges of element hashes, over the sender's context: what
 * anti-entropy swaps where a member-by-member comparison found a few small segments that differ
 * ({@link SetMembersView}). Each range is merged like a {@link SetSlice}, within its bounds; the
 * context travels once for all of them, where a slice per range would repeat it (a context is
 * often larger than the two members a small range holds).
 *
 * <pre>
 * ranges = 0x88 ‖ version 0x01 ‖ count (u16 BE) ‖ count x (from, to: u64 BE each) ‖ canonical set
 *        | 0x88 ‖ version 0x02 ‖ count (u16 BE) ‖ count x hash (u64 BE)       ‖ canonical set
 * </pre>
 *
 * Version 2 is written when every range is one hash ({@code from == to}), what the member sketch
 * asks for (the exact hashes that differ): 8 bytes a range instead of 16, on each side of each
 * differing member.
 *
 * @param from the first element hash of each range, ascending
 * @param to the last element hash of each range (inclusive), below the next range's first
 * @param set the members in the ranges, over the sender's context when they were read
 */
record SetRanges(long[] from, long[] to, Orswot<Bytes> set) {

  static final byte TAG = (byte) 0x88;
  private static final byte VERSION = 1;
  private static final byte POINTS = 2;
  private static final int FIXED = 2 + Short.BYTES;

  /** Bytes each range adds. */
  static final int RANGE_BYTES = 2 * Long.BYTES;

  /** Ranges in one part, at most. */
  static final int MAX_RANGES = 0xFFFF;

  static boolean is(byte[] state) {
    return state.length > 0 && state[0] == TAG;
  }

  static byte[] encode(long[] from, long[] to, int count, Orswot<Bytes> members) {
    byte[] set = CrdtCodec.encode(members);
    boolean points = true;
    for (int i = 0; i < count; i++) {
      points &= from[i] == to[i];
    }
    int each = points ? Long.BYTES : RANGE_BYTES;
    ByteBuffer out = ByteBuffer.allocate(FIXED + count * each + set.length);
    out.put(TAG).put(points ? POINTS : VERSION).putShort((short) count);
    for (int i = 0; i < count; i++) {
      out.putLong(from[i]);
      if (!points) {
        out.putLong(to[i]);
      }
    }
    return out.put(set).array();
  }

  /** The encoded size of {@code count} ranges over {@code context}, before any member. */
  static int overhead(int count, CausalContext context) {
    return FIXED + count * RANGE_BYTES + SetSlice.commit(0, context).length;
  }

  /**
   * Decodes and checks ranges from a peer.
   *
   * @throws CrdtDecodeException if they are malformed: a bad header, ranges out of order,
   *     overlapping or outside the 63-bit hashes, or a member outside every range
   */
  static SetRanges decode(byte[] bytes, DecodeLimits limits) {
    if (!is(bytes) || bytes.length < FIXED || (bytes[1] != VERSION && bytes[1] != POINTS)) {
      throw new CrdtDecodeException(
          "set ranges of "
              + bytes.length
              + " bytes (expected: tag 0x88, version 1 or 2, at least "
              + FIXED
              + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.position(2);
    boolean points = bytes[1] == POINTS;
    int each = points ? Long.BYTES : RANGE_BYTES;
    int count = Short.toUnsignedInt(in.getShort());
    if (count < 1 || (long) count * each > in.remaining()) {
      throw new CrdtDecodeException(
          "set ranges: "
              + count
              + " in "
              + in.remaining()
              + " bytes (expected: at least 1, each "
              + each
              + " bytes)");
    }
    long[] from = new long[count];
    long[] to = new long[count];
    for (int i = 0; i < count; i++) {
      from[i] = in.getLong();
      to[i] = points ? from[i] : in.getLong();
      if (from[i] < 0 || to[i] < from[i] || (i > 0 && from[i] <= to[i - 1])) {
        throw new CrdtDecodeException(
            "set range "
                + i
                + ": ["
                + from[i]
                + ", "
                + to[i]
                + "] (expected: 0 <= from <= to < 2^63, after the range before it)");
      }
    }
    Orswot<Bytes> set =
        CrdtCodec.decodeOrswot(
            Arrays.copyOfRange(bytes, in.position(), bytes.length), ElementCodec.BYTES, limits);
    for (Bytes element : set.elements()) {
      long hash = SetPieces.elementHash(element);
      int i = Arrays.binarySearch(from, hash);
      int range = i >= 0 ? i : -i - 2;
      if (range < 0 || hash > to[range]) {
        throw new CrdtDecodeException(
            "set ranges member hash: " + hash + " (expected: within one of the " + count + " ranges)");
      }
    }
    return new SetRanges(from, to, set);
  }
}
