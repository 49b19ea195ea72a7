package dev.meld.node.transport;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-frame MAC of one direction of a connection in secret mode (a shared secret, no TLS): a
 * tag over every frame sent after the handshake, so a frame that is altered, injected, replayed,
 * reordered or deleted on the path is detected at the next frame that arrives.
 *
 * <pre>
 * prk           = HMAC-SHA256(key: nonceD ‖ nonceA, secret)                  (HKDF-Extract)
 * key(dir)      = HMAC-SHA256(prk, "meld-mesh-frame-v1" ‖ dir:u8 ‖ 0x01)     (HKDF-Expand, 1 block)
 * tag           = HMAC-SHA256(key(dir), dir:u8 ‖ seq:u64 ‖ type:u8 ‖ length:u32 ‖ payload)
 * dir           = 1 for frames the dialer sends, 2 for frames the acceptor sends
 * seq           = 0, 1, 2, ... counted separately in each direction from the first frame after
 *                 the sender's handshake
 * </pre>
 *
 * <p>Both nonces are fresh per connection, so each connection (and each direction of it) has keys
 * of its own: a frame recorded on one connection does not verify on another, nor in the other
 * direction. The sequence number is implicit (both ends count), so a replayed, reordered or
 * missing frame shifts it and its tag no longer verifies. Tags are compared in constant time.
 *
 * <p>Cost: 32 bytes per frame and one HMAC-SHA256 over each frame at each end.
 */
final class FrameMac {

  static final int TAG_BYTES = 32;
  static final int DIALER_TO_ACCEPTOR = 1;
  static final int ACCEPTOR_TO_DIALER = 2;

  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] LABEL = "meld-mesh-frame-v1".getBytes(StandardCharsets.US_ASCII);

  private final int direction;
  private final Mac mac;
  private final byte[] prefix = new byte[1 + 8 + 1 + 4];
  private long sequence;

  private FrameMac(byte[] key, int direction) {
    this.direction = direction;
    this.mac = hmac(key);
  }

  /** The MAC of {@code direction} of a connection whose hellos carried these nonces. */
  static FrameMac derive(byte[] secret, byte[] dialerNonce, byte[] acceptorNonce, int direction) {
    byte[] salt = new byte[dialerNonce.length + acceptorNonce.length];
    System.arraycopy(dialerNonce, 0, salt, 0, dialerNonce.length);
    System.arraycopy(acceptorNonce, 0, salt, dialerNonce.length, acceptorNonce.length);
    byte[] prk = hmac(salt).doFinal(secret);
    Mac expand = hmac(prk);
    expand.update(LABEL);
    expand.update((byte) direction);
    expand.update((byte) 1);
    return new FrameMac(expand.doFinal(), direction);
  }

  /** The sequence number the next frame gets. */
  long sequence() {
    return sequence;
  }

  /** The tag of the next frame ({@code type}, {@code payload}); advances the sequence. */
  byte[] next(int type, ByteBuf payload, int offset, int length) {
    start(type, length);
    if (payload.hasArray()) {
      mac.update(payload.array(), payload.arrayOffset() + offset, length);
    } else {
      mac.update(payload.nioBuffer(offset, length));
    }
    return mac.doFinal();
  }

  /** The tag of the next frame ({@code type}, {@code payload}); advances the sequence. */
  byte[] next(int type, byte[] payload) {
    start(type, payload.length);
    mac.update(payload);
    return mac.doFinal();
  }

  /** Whether {@code tag} is the next frame's; advances the sequence either way. */
  boolean verifyNext(int type, byte[] payload, byte[] tag) {
    return MessageDigest.isEqual(next(type, payload), tag);
  }

  private void start(int type, int length) {
    long seq = sequence++;
    prefix[0] = (byte) direction;
    for (int i = 0; i < 8; i++) {
      prefix[1 + i] = (byte) (seq >>> (56 - 8 * i));
    }
    prefix[9] = (byte) type;
    prefix[10] = (byte) (length >>> 24);
    prefix[11] = (byte) (length >>> 16);
    prefix[12] = (byte) (length >>> 8);
    prefix[13] = (byte) length;
    mac.update(prefix);
  }

  private static Mac hmac(byte[] key) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(new SecretKeySpec(key, ALGORITHM));
      return m;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("frame MAC key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }
}
