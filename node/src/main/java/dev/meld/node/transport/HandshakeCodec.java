package dev.meld.node.transport;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The payloads of the handshake's HELLO and PROOF frames and of ERROR frames. Decoding is strict
 * (exact lengths, valid UTF-8, no unknown flags, nothing trailing) and fails with a {@link
 * MeshFrameException} naming the value and the expectation.
 *
 * <pre>
 * HELLO  messageVersion:u8 flags:u8 (bit 0 = has a shared secret) incarnation:i64 nonce:16 bytes
 *        clusterLength:u8 (&gt;= 1) cluster:UTF-8 nodeLength:u8 (&gt;= 1) node:UTF-8
 * PROOF  empty (no shared secret) or HMAC-SHA256:32 bytes
 * ERROR  code:u8 (Refusal) reason:UTF-8 (the rest, &lt;= 1023 bytes)
 * </pre>
 */
final class HandshakeCodec {

  static final int NONCE_BYTES = 16;
  static final int PROOF_BYTES = 32;
  static final int MAX_NAME_BYTES = 255;
  static final int MAX_REASON_BYTES = MeshFrame.MAX_CONTROL_BYTES - 1;

  private static final int FLAG_SECRET = 1;
  private static final int HELLO_FIXED_BYTES = 1 + 1 + 8 + NONCE_BYTES;

  private HandshakeCodec() {}

  /**
   * Who a side of a connection is.
   *
   * @param messageVersion the version of the message encoding it sends in MESSAGE frames
   * @param hasSecret whether it is configured with a shared secret (and so sends and expects
   *     proofs)
   * @param incarnation its current incarnation
   * @param nonce 16 fresh random bytes, so that every proof is for this connection only
   * @param cluster its cluster's name, 1..255 UTF-8 bytes
   * @param node its node name, 1..255 UTF-8 bytes
   */
  record Hello(
      int messageVersion,
      boolean hasSecret,
      long incarnation,
      byte[] nonce,
      String cluster,
      String node) {
    Hello {
      if (messageVersion < 0 || messageVersion > 255) {
        throw new IllegalArgumentException(
            "messageVersion: " + messageVersion + " (expected: 0..255)");
      }
      if (incarnation < 0) {
        throw new IllegalArgumentException("incarnation: " + incarnation + " (expected: >= 0)");
      }
      if (nonce.length != NONCE_BYTES) {
        throw new IllegalArgumentException(
            "nonce length: " + nonce.length + " (expected: " + NONCE_BYTES + ")");
      }
      nonce = nonce.clone();
      checkName("cluster", cluster);
      checkName("node", node);
    }

    @Override
    public byte[] nonce() {
      return nonce.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hello h
          && h.messageVersion == messageVersion
          && h.hasSecret == hasSecret
          && h.incarnation == incarnation
          && Arrays.equals(h.nonce, nonce)
          && h.cluster.equals(cluster)
          && h.node.equals(node);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          messageVersion, hasSecret, incarnation, Arrays.hashCode(nonce), cluster, node);
    }

    @Override
    public String toString() {
      return "Hello[" + cluster + "/" + node + "#" + incarnation + ", v" + messageVersion + "]";
    }
  }

  /** The reason an ERROR frame gives for closing. */
  record ErrorNotice(Refusal refusal, String reason) {
    ErrorNotice {
      Objects.requireNonNull(refusal, "refusal");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Checks a cluster or node name: 1..255 UTF-8 bytes. */
  static void checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    int length = name.getBytes(StandardCharsets.UTF_8).length;
    if (length < 1 || length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          what + " name length: " + length + " bytes (expected: 1.." + MAX_NAME_BYTES + ")");
    }
  }

  static byte[] encodeHello(Hello hello) {
    byte[] cluster = hello.cluster().getBytes(StandardCharsets.UTF_8);
    byte[] node = hello.node().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(HELLO_FIXED_BYTES + 2 + cluster.length + node.length)
        .put((byte) hello.messageVersion())
        .put((byte) (hello.hasSecret() ? FLAG_SECRET : 0))
        .putLong(hello.incarnation())
        .put(hello.nonce)
        .put((byte) cluster.length)
        .put(cluster)
        .put((byte) node.length)
        .put(node)
        .array();
  }

  static Hello decodeHello(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    need(in, HELLO_FIXED_BYTES + 1, "HELLO");
    int messageVersion = Byte.toUnsignedInt(in.get());
    int flags = Byte.toUnsignedInt(in.get());
    if ((flags & ~FLAG_SECRET) != 0) {
      throw new MeshFrameException(
          String.format("HELLO flags: 0x%02X (expected: only bit 0x01)", flags));
    }
    long incarnation = in.getLong();
    if (incarnation < 0) {
      throw new MeshFrameException("HELLO incarnation: " + incarnation + " (expected: >= 0)");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    in.get(nonce);
    String cluster = name(in, "cluster");
    String node = name(in, "node");
    if (in.hasRemaining()) {
      throw new MeshFrameException(
          "HELLO length: " + payload.length + " (expected: " + in.position() + ")");
    }
    return new Hello(messageVersion, flags == FLAG_SECRET, incarnation, nonce, cluster, node);
  }

  /** Checks a PROOF payload's length: empty, or one HMAC-SHA256. */
  static byte[] decodeProof(byte[] payload) {
    if (payload.length != 0 && payload.length != PROOF_BYTES) {
      throw new MeshFrameException(
          "PROOF length: " + payload.length + " (expected: 0 or " + PROOF_BYTES + ")");
    }
    return payload;
  }

  /** An ERROR payload; a reason too long to fit is cut at a character boundary. */
  static byte[] encodeError(ErrorNotice notice) {
    ByteBuffer out = ByteBuffer.allocate(1 + MAX_REASON_BYTES);
    out.put((byte) notice.refusal().code());
    // An encoder stops before the first character that does not fit whole.
    StandardCharsets.UTF_8
        .newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .encode(CharBuffer.wrap(notice.reason()), out, true);
    return Arrays.copyOf(out.array(), out.position());
  }

  static ErrorNotice decodeError(byte[] payload) {
    if (payload.length < 1 || payload.length > 1 + MAX_REASON_BYTES) {
      throw new MeshFrameException(
          "ERROR length: " + payload.length + " (expected: 1.." + (1 + MAX_REASON_BYTES) + ")");
    }
    int code = Byte.toUnsignedInt(payload[0]);
    Refusal refusal = Refusal.ofCode(code);
    if (refusal == null) {
      throw new MeshFrameException(
          "ERROR code: " + code + " (expected: 1.." + Refusal.values().length + ")");
    }
    return new ErrorNotice(
        refusal, utf8(ByteBuffer.wrap(payload, 1, payload.length - 1), "ERROR reason"));
  }

  private static String name(ByteBuffer in, String what) {
    need(in, 1, "HELLO " + what + " length");
    int length = Byte.toUnsignedInt(in.get());
    if (length < 1) {
      throw new MeshFrameException(
          "HELLO " + what + " name length: 0 (expected: 1.." + MAX_NAME_BYTES + ")");
    }
    need(in, length, "HELLO " + what + " name");
    ByteBuffer text = in.slice();
    text.limit(length);
    in.position(in.position() + length);
    return utf8(text, "HELLO " + what + " name");
  }

  private static void need(ByteBuffer in, int bytes, String what) {
    if (in.remaining() < bytes) {
      throw new MeshFrameException(
          what + ": " + in.remaining() + " bytes left (expected: >= " + bytes + "; truncated)");
    }
  }

  private static String utf8(ByteBuffer bytes, String what) {
    int length = bytes.remaining();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new MeshFrameException(
          what + ": " + length + " bytes that are not valid UTF-8 (expected: UTF-8 text)");
    }
  }
}
