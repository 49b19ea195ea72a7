package dev.meld.node.identity;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The identity record kept in the store's meta under {@link Identity#META_NAME}.
 *
 * <pre>
 * version (u8 = 1) ‖ nameLen (u8) ‖ name (UTF-8) ‖ incarnation (u64 BE) ‖ generation (u64 BE)
 *   ‖ session (u64 BE) ‖ reason (u8, ordinal of Identity.Reason)
 * </pre>
 *
 * {@code session} is the store session that chose the incarnation, so that opening the identity
 * twice in one session returns the same answer instead of taking yet another incarnation.
 */
record StoredIdentity(
    String nodeName, long incarnation, long generation, long session, Identity.Reason reason) {

  private static final byte VERSION = 1;

  byte[] encode() {
    byte[] name = nodeName.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + name.length + 3 * Long.BYTES + 1)
        .put(VERSION)
        .put((byte) name.length)
        .put(name)
        .putLong(incarnation)
        .putLong(generation)
        .putLong(session)
        .put((byte) reason.ordinal())
        .array();
  }

  /**
   * Decodes a stored identity.
   *
   * @throws IllegalStateException if the bytes are not a valid identity record
   */
  static StoredIdentity decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte version = in.get();
      if (version != VERSION) {
        throw new IllegalStateException(
            "stored identity version: " + version + " (expected: " + VERSION + ")");
      }
      byte[] name = new byte[Byte.toUnsignedInt(in.get())];
      in.get(name);
      long incarnation = in.getLong();
      long generation = in.getLong();
      long session = in.getLong();
      int reason = Byte.toUnsignedInt(in.get());
      Identity.Reason[] reasons = Identity.Reason.values();
      if (reason >= reasons.length || in.hasRemaining()) {
        throw new IllegalStateException(
            "stored identity: reason "
                + reason
                + ", "
                + in.remaining()
                + " trailing bytes"
                + " (expected: reason < "
                + reasons.length
                + ", no trailing bytes)");
      }
      return new StoredIdentity(
          new String(name, StandardCharsets.UTF_8),
          incarnation,
          generation,
          session,
          reasons[reason]);
    } catch (BufferUnderflowException e) {
      throw new IllegalStateException(
          "stored identity length: " + bytes.length + " bytes (expected: a complete record)", e);
    }
  }
}
