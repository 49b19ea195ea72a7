package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.node.peer.PeerMessage;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What one local log entry stores: the key it changed and the delta of the change.
 *
 * <pre>
 * keyLength (u32 BE) ‖ key ‖ delta (canonical CRDT encoding, to the end)
 * </pre>
 *
 * The sequence number is the log's key, not part of the payload.
 */
record LogPayload(byte[] key, byte[] delta) {

  static byte[] encode(byte[] key, byte[] delta) {
    return ByteBuffer.allocate(Integer.BYTES + key.length + delta.length)
        .putInt(key.length)
        .put(key)
        .put(delta)
        .array();
  }

  /**
   * Splits a stored payload.
   *
   * @throws IllegalStateException if the payload is not one this class wrote (a corrupt store)
   */
  static LogPayload decode(byte[] payload) {
    if (payload.length < Integer.BYTES) {
      throw new IllegalStateException(
          "log payload length: " + payload.length + " (expected: >= " + Integer.BYTES + ")");
    }
    int keyLength = ByteBuffer.wrap(payload).getInt();
    if (keyLength < 0 || keyLength > payload.length - Integer.BYTES) {
      throw new IllegalStateException(
          "log payload key length: "
              + keyLength
              + " (expected: 0.."
              + (payload.length - Integer.BYTES)
              + ")");
    }
    int deltaFrom = Integer.BYTES + keyLength;
    return new LogPayload(
        Arrays.copyOfRange(payload, Integer.BYTES, deltaFrom),
        Arrays.copyOfRange(payload, deltaFrom, payload.length));
  }

  /**
   * Entry {@code seq} of the log, whose stored payload is {@code payload}, as pumps ship it.
   *
   * @throws IllegalStateException as {@link #decode}
   */
  static PeerMessage.Entry entry(long seq, byte[] payload) {
    LogPayload p = decode(payload);
    return new PeerMessage.Entry(seq, Bytes.of(p.key()), Bytes.of(p.delta()));
  }
}
