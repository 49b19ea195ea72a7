package dev.meld.node.peer;

import dev.meld.crdt.ReplicaId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fields of one peer frame, checking each length against the bytes that remain before
 * allocating for it. Every failure is a {@link PeerProtocolException} naming the field.
 */
final class FrameReader {

  private final byte[] frame;
  private int at;

  FrameReader(byte[] frame) {
    this.frame = frame;
  }

  private int remaining() {
    return frame.length - at;
  }

  private void need(String what, long bytes) throws PeerProtocolException {
    if (bytes > remaining()) {
      throw new PeerProtocolException(
          what + ": needs " + bytes + " bytes (expected: <= " + remaining() + " remaining)");
    }
  }

  int u8(String what) throws PeerProtocolException {
    need(what, 1);
    return Byte.toUnsignedInt(frame[at++]);
  }

  /** A non-negative 64-bit value. */
  long i64(String what) throws PeerProtocolException {
    long v = i64Any(what);
    if (v < 0) {
      throw new PeerProtocolException(what + ": " + v + " (expected: >= 0)");
    }
    return v;
  }

  long i64Any() throws PeerProtocolException {
    return i64Any("session id");
  }

  private long i64Any(String what) throws PeerProtocolException {
    need(what, Long.BYTES);
    long v = ByteBuffer.wrap(frame, at, Long.BYTES).getLong();
    at += Long.BYTES;
    return v;
  }

  private long u32(String what) throws PeerProtocolException {
    need(what, Integer.BYTES);
    long v = Integer.toUnsignedLong(ByteBuffer.wrap(frame, at, Integer.BYTES).getInt());
    at += Integer.BYTES;
    return v;
  }

  /** A count of items each at least {@code minBytesEach} long, bounded by the bytes left. */
  long count(String what, int minBytesEach) throws PeerProtocolException {
    long n = u32(what);
    long most = remaining() / minBytesEach;
    if (n > most) {
      throw new PeerProtocolException(
          what + ": " + n + " (expected: <= " + most + " for the bytes remaining)");
    }
    return n;
  }

  /** A u32 length and that many bytes. */
  byte[] blob(String what) throws PeerProtocolException {
    long length = u32(what);
    need(what + " " + length, length);
    byte[] out = Arrays.copyOfRange(frame, at, at + (int) length);
    at += (int) length;
    return out;
  }

  /** A u8 length and that many bytes of strict UTF-8. */
  String str(String what) throws PeerProtocolException {
    int length = u8(what + " length");
    need(what, length);
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(frame, at, length))
              .toString();
      at += length;
      return s;
    } catch (CharacterCodingException e) {
      throw new PeerProtocolException(what + ": malformed UTF-8 (expected: UTF-8)", e);
    }
  }

  /** A replica id: a non-empty name and a non-negative incarnation. */
  ReplicaId rid(String what) throws PeerProtocolException {
    String node = str(what + " node");
    if (node.isEmpty()) {
      throw new PeerProtocolException(what + " node: \"\" (expected: non-empty)");
    }
    return new ReplicaId(node, i64(what + " incarnation"));
  }

  /** Checks that the whole frame was read. */
  void end() throws PeerProtocolException {
    if (remaining() != 0) {
      throw new PeerProtocolException(
          "trailing bytes: " + remaining() + " (expected: 0 after the message)");
    }
  }
}
