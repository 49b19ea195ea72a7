package dev.meld.node;

import dev.meld.antientropy.Digest;
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
 * A set's causal context shipped on its own, guarded by the digest of the members it goes with:
 * how two replicas whose members anti-entropy compared one by one ({@link SetMembersView}) bring
 * their contexts together.
 *
 * <pre>
 * guard = 0x87 ‖ version 0x01 ‖ members digest (hi, lo: u64 BE each) ‖ canonical empty set over
 *         the context
 * </pre>
 *
 * <p>Why the guard: joining a context declares every dot in it seen, and a member whose dots are
 * seen but not held is removed, so a context joined without the members that go with it drops
 * them (a member added on the sender after the members were compared would be lost on both sides).
 * The receiver joins the context only if its own members, as staged, have exactly this digest: it
 * then holds the sender's members, and merging the sender's state (those members over this
 * context) would keep every member and join the contexts, which is all the join does. Otherwise
 * the guard is dropped; the next comparison, once members agree, brings it again.
 *
 * @param members the sum of the sender's member digests ({@link SetHeader#members})
 * @param set no members, over the sender's context
 */
record SetGuard(Digest members, Orswot<Bytes> set) {

  static final byte TAG = (byte) 0x87;
  private static final byte VERSION = 1;
  private static final int FIXED = 2 + 2 * Long.BYTES;

  static boolean is(byte[] state) {
    return state.length > 0 && state[0] == TAG;
  }

  static byte[] encode(Digest members, CausalContext context) {
    byte[] set = CrdtCodec.encode(Orswot.of(ElementCodec.BYTES, context, Map.of()));
    return ByteBuffer.allocate(FIXED + set.length)
        .put(TAG)
        .put(VERSION)
        .putLong(members.hi())
        .putLong(members.lo())
        .put(set)
        .array();
  }

  /**
   * Decodes and checks a guard from a peer.
   *
   * @throws CrdtDecodeException if it is malformed: a bad header, or members in its set
   */
  static SetGuard decode(byte[] bytes, DecodeLimits limits) {
    if (!is(bytes) || bytes.length < FIXED || bytes[1] != VERSION) {
      throw new CrdtDecodeException(
          "set guard of "
              + bytes.length
              + " bytes (expected: tag 0x87, version 1, at least "
              + FIXED
              + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, FIXED - 2);
    Digest members = new Digest(in.getLong(), in.getLong());
    Orswot<Bytes> set =
        CrdtCodec.decodeOrswot(
            Arrays.copyOfRange(bytes, FIXED, bytes.length), ElementCodec.BYTES, limits);
    if (!set.isEmpty()) {
      throw new CrdtDecodeException(
          "set guard: " + set.size() + " members (expected: none, a context only)");
    }
    return new SetGuard(members, set);
  }
}
