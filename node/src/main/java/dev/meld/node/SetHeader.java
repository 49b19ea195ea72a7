package dev.meld.node;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The record value of a set kept in pieces ({@link SetPieces}): what the set has seen, how many
 * members it has, and the sum of its members' digests.
 *
 * <pre>
 * header = 0x83 ‖ version 0x01 ‖ count (u64 BE) ‖ members digest (hi, lo: u64 BE each)
 *        ‖ context (the canonical encoding of the empty set over the set's causal context)
 *        | 0x83 ‖ version 0x02 ‖ count ‖ pending (u64 BE) ‖ members digest ‖ context
 * </pre>
 *
 * Version 2 is written only while {@code pending} is not zero, so a store holds version 1 headers
 * whenever no shipment is half merged, and a store written before version 2 reads as it is.
 *
 * The first byte keeps headers apart from whole encoded states (tags 0x01-0x04). A key's
 * anti-entropy digest is {@link #digest}: the members' digests plus the digest of the context, each
 * a 128-bit XXH3 and summed modulo 2^128, so a write changes it by what it changed and nothing is
 * ever rehashed over the whole set. Two replicas with the same members, dots and context have the
 * same digest; any difference in a member's dots or in the context shows.
 *
 * @param context everything the set has seen
 * @param count the number of members
 * @param members the sum of {@link #memberDigest} over the members
 * @param pending how many of the dots held by members are not in {@code context}: dots that slices
 *     of a peer's shipment brought in before its commit ({@link PiecedSet#mergeSlices}). What the
 *     set has seen is {@code context} and those dots
 */
record SetHeader(CausalContext context, long count, Digest members, long pending) {

  static final byte TAG = (byte) 0x83;
  private static final byte VERSION = 1;
  private static final byte VERSION_PENDING = 2;
  private static final int FIXED = 2 + 3 * Long.BYTES;
  private static final int FIXED_PENDING = FIXED + Long.BYTES;

  /** A header with no pending dots. */
  SetHeader(CausalContext context, long count, Digest members) {
    this(context, count, members, 0);
  }

  static final SetHeader EMPTY = new SetHeader(new CausalContext(), 0, Digest.ZERO, 0);

  /** Whether a record value is a set header rather than a whole encoded state. */
  static boolean is(byte[] value) {
    return value.length > 0 && value[0] == TAG;
  }

  byte[] encode() {
    return encode(contextBytes());
  }

  /** The header with {@code context}, this header's {@link #contextBytes}, already encoded. */
  byte[] encode(byte[] context) {
    ByteBuffer out =
        ByteBuffer.allocate((pending == 0 ? FIXED : FIXED_PENDING) + context.length)
            .put(TAG)
            .put(pending == 0 ? VERSION : VERSION_PENDING)
            .putLong(count);
    if (pending != 0) {
      out.putLong(pending);
    }
    return out.putLong(members.hi()).putLong(members.lo()).put(context).array();
  }

  /**
   * @throws IllegalStateException if {@code value} is not a header this version writes: the store
   *     is damaged or newer
   */
  static SetHeader decode(byte[] value, DecodeLimits limits) {
    boolean withPending = value.length > 1 && value[1] == VERSION_PENDING;
    int fixed = withPending ? FIXED_PENDING : FIXED;
    if (!is(value) || value.length < fixed || (value[1] != VERSION && !withPending)) {
      throw new IllegalStateException(
          "set header of "
              + value.length
              + " bytes (expected: tag 0x83, version 1 or 2, at least "
              + fixed
              + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(value, 2, fixed - 2);
    long count = in.getLong();
    long pending = withPending ? in.getLong() : 0;
    Digest members = new Digest(in.getLong(), in.getLong());
    /* A header comes from this node's own store, never from a peer (peers send canonical
     * encodings, which the limits bound). Its context may hold more than a peer may send: a replica
     * that merged members of slices whose shipment never committed holds a cloud dot per member, and
     * with the peer limits such a node could not open its store again (issue 16, scripts/big-set:
     * 3,022,948 cloud dots against a limit of 1,000,000). Only the element bound applies here. */
    DecodeLimits local =
        new DecodeLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, limits.maxElementBytes());
    try {
      Orswot<?> empty =
          CrdtCodec.decodeOrswot(
              Arrays.copyOfRange(value, fixed, value.length), ElementCodec.BYTES, local);
      if (!empty.isEmpty() || count < 0 || pending < 0) {
        throw new IllegalStateException(
            "set header: elements in its context part, or count or pending < 0");
      }
      return new SetHeader(empty.context(), count, members, pending);
    } catch (CrdtDecodeException e) {
      throw new IllegalStateException("set header context: " + e.getMessage(), e);
    }
  }

  /**
   * The context a part shipping {@code members} of this set must carry: every dot a member holds
   * is in it. That is {@link #context} unless dots are pending, and then it and the members' dots.
   */
  CausalContext contextCovering(Map<Bytes, List<Dot>> members) {
    if (pending == 0) {
      return context;
    }
    CausalContext covering = context.copy();
    members.values().forEach(dots -> dots.forEach(covering::add));
    return covering;
  }

  /** The key's anti-entropy digest. */
  Digest digest(byte[] key) {
    return digest(key, contextBytes());
  }

  /** The key's digest, with {@code context} this header's {@link #contextBytes}. */
  Digest digest(byte[] key, byte[] context) {
    return members.plus(KeyHashing.recordDigest(key, context));
  }

  /** The digest of one member piece of {@code key}. */
  static Digest memberDigest(byte[] key, byte[] pieceKey, byte[] value) {
    byte[] both = Arrays.copyOf(pieceKey, pieceKey.length + value.length);
    System.arraycopy(value, 0, both, pieceKey.length, value.length);
    return KeyHashing.recordDigest(key, both);
  }

  /** The context's canonical encoding: costs the context's size, so encode it once per use. */
  byte[] contextBytes() {
    return CrdtCodec.encode(Orswot.of(ElementCodec.BYTES, context, Map.of()));
  }
}
