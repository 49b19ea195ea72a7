package dev.meld.crdt;

import java.util.Arrays;

/**
 * The canonical encoding of an {@link LwwRegister}, format version 1:
 *
 * <pre>
 * +------+---------+------+
 * | 0x04 | 0x01    | 0x00 |                                          never written
 * +------+---------+------+--------------+-----------+--------------------------+
 * | 0x04 | 0x01    | 0x01 | stamp        | ReplicaId | varint length | value    |  a value
 * +------+---------+------+--------------+-----------+--------------------------+
 * | 0x04 | 0x01    | 0x02 | stamp        | ReplicaId |                             a tombstone
 * +------+---------+------+--------------+-----------+
 *   tag    version   kind   8 bytes, big-endian, >= 0
 * </pre>
 */
final class LwwRegisterCodec {
  private static final int EMPTY = 0;
  private static final int VALUE = 1;
  private static final int TOMBSTONE = 2;

  private LwwRegisterCodec() {}

  static void write(Writer out, LwwRegister<?> register) {
    if (register.isEmpty()) {
      out.u8(EMPTY);
      return;
    }
    byte[] encoded = register.encodedView();
    out.u8(encoded == null ? TOMBSTONE : VALUE);
    out.fixed64(register.stamp());
    CausalCodec.writeReplica(out, register.writer().orElseThrow());
    if (encoded != null) {
      out.bytes(encoded);
    }
  }

  static <V> LwwRegister<V> read(Reader in, ElementCodec<V> codec) {
    int kind = in.u8("register kind");
    if (kind == EMPTY) {
      return new LwwRegister<>(codec);
    }
    if (kind != VALUE && kind != TOMBSTONE) {
      throw new CrdtDecodeException(
          "register kind: " + kind + " (expected: 0 empty, 1 value or 2 tombstone)");
    }
    long stamp = in.fixed64("stamp");
    if (stamp < 0) {
      throw new CrdtDecodeException("stamp: " + stamp + " (expected: >= 0)");
    }
    ReplicaId writer = CausalCodec.readReplica(in, "writer");
    byte[] encoded = null;
    if (kind == VALUE) {
      encoded = in.bytes("value", in.limits().maxElementBytes());
    }
    LwwRegister<V> register = LwwRegister.ofCanonical(codec, stamp, writer, encoded);
    if (encoded != null) {
      requireCanonical(codec, register.value().orElseThrow(), encoded, "value");
    }
    return register;
  }

  /** Checks that {@code value}, decoded from {@code encoded}, encodes back to the same bytes. */
  static <V> void requireCanonical(ElementCodec<V> codec, V value, byte[] encoded, String what) {
    byte[] again;
    try {
      again = codec.encode(value);
    } catch (IllegalArgumentException e) {
      throw new CrdtDecodeException(what + ": " + e.getMessage());
    }
    if (!Arrays.equals(again, encoded)) {
      throw new CrdtDecodeException(
          what + ": " + encoded.length + " bytes that re-encode differently"
              + " (expected: the canonical encoding of " + codec + ")");
    }
  }
}
