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
import java.util.Map;

/**
 * A part of a set too large for one anti-entropy message ({@link SetShipment}): either a slice, the
 * members whose 63-bit element hash lies in {@code [from, to]} over the sender's context when the
 * slice was read, or the commit that ends a shipment, the sender's context when it began.
 *
 * <pre>
 * slice  = 0x85 ‖ version 0x01 ‖ shipment (u64 BE) ‖ from (u64 BE) ‖ to (u64 BE) ‖ canonical set
 * commit = 0x86 ‖ version 0x01 ‖ shipment (u64 BE) ‖ canonical empty set over the context
 * </pre>
 *
 * <p>Why a slice is merged only within its range, and why the contexts join only at the commit:
 * for the members of one hash range, the set's merge rule needs only those members' dots and the
 * two contexts, so a slice merged within its range is the join of a valid delta. Joining the
 * sender's whole context with a slice would declare every dot it covers seen, and our members
 * outside the range, whose dots the sender holds but has not shipped yet, would be dropped. The
 * commit carries the context from before the first slice: every dot in it that the sender still
 * held was shipped by a slice read later, so once every slice of the shipment, from hash 0 to the
 * last, has been merged, joining it loses nothing.
 *
 * @param shipment the sender's number for one shipment of one record
 * @param from the first element hash this slice covers (inclusive); unused for a commit
 * @param to the last element hash this slice covers (inclusive); unused for a commit
 * @param set the members in range over the sender's context (a commit: no members)
 * @param commit whether this is the commit
 */
record SetSlice(long shipment, long from, long to, Orswot<Bytes> set, boolean commit) {

  static final byte SLICE = (byte) 0x85;
  static final byte COMMIT = (byte) 0x86;
  private static final byte VERSION = 1;
  private static final int SLICE_FIXED = 2 + 3 * Long.BYTES;
  private static final int COMMIT_FIXED = 2 + Long.BYTES;

  /** The last 63-bit element hash: a slice that reaches it is a shipment's last. */
  static final long LAST_HASH = Long.MAX_VALUE;

  /** Whether a state shipped by anti-entropy is a part of a set rather than a whole state. */
  static boolean is(byte[] state) {
    return state.length > 0 && (state[0] == SLICE || state[0] == COMMIT);
  }

  static byte[] slice(long shipment, long from, long to, Orswot<Bytes> members) {
    byte[] set = CrdtCodec.encode(members);
    return ByteBuffer.allocate(SLICE_FIXED + set.length)
        .put(SLICE)
        .put(VERSION)
        .putLong(shipment)
        .putLong(from)
        .putLong(to)
        .put(set)
        .array();
  }

  static byte[] commit(long shipment, CausalContext context) {
    byte[] set = CrdtCodec.encode(Orswot.of(ElementCodec.BYTES, context, Map.of()));
    return ByteBuffer.allocate(COMMIT_FIXED + set.length)
        .put(COMMIT)
        .put(VERSION)
        .putLong(shipment)
        .put(set)
        .array();
  }

  /**
   * Decodes and checks a part from a peer.
   *
   * @throws CrdtDecodeException if it is malformed: a bad header, a range that is not one, a
   *     member outside the range, or members in a commit
   */
  static SetSlice decode(byte[] bytes, DecodeLimits limits) {
    boolean commit = bytes.length > 0 && bytes[0] == COMMIT;
    int fixed = commit ? COMMIT_FIXED : SLICE_FIXED;
    if (!is(bytes) || bytes.length < fixed || bytes[1] != VERSION) {
      throw new CrdtDecodeException(
          "set part of "
              + bytes.length
              + " bytes (expected: tag 0x85 or 0x86, version 1, at least "
              + fixed
              + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, fixed - 2);
    long shipment = in.getLong();
    long from = commit ? 0 : in.getLong();
    long to = commit ? LAST_HASH : in.getLong();
    Orswot<Bytes> set =
        CrdtCodec.decodeOrswot(
            Arrays.copyOfRange(bytes, fixed, bytes.length), ElementCodec.BYTES, limits);
    if (from < 0 || to < from) {
      throw new CrdtDecodeException(
          "set slice range: [" + from + ", " + to + "] (expected: 0 <= from <= to < 2^63)");
    }
    if (commit && !set.isEmpty()) {
      throw new CrdtDecodeException(
          "set commit: " + set.size() + " members (expected: none, a context only)");
    }
    for (Bytes element : set.elements()) {
      long hash = SetPieces.elementHash(element);
      if (hash < from || hash > to) {
        throw new CrdtDecodeException(
            "set slice member hash: " + hash + " (expected: within [" + from + ", " + to + "])");
      }
    }
    return new SetSlice(shipment, from, to, set, commit);
  }
}
