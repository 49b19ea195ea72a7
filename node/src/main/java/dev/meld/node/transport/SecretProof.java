package dev.meld.node.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared-secret proof of the handshake: HMAC-SHA256, keyed with the cluster secret, over a
 * label, the prover's role and both hellos exactly as they were sent. The secret itself never
 * leaves the node.
 *
 * <pre>
 * proof = HMAC-SHA256(secret, "meld-mesh-proof-v1" ‖ role:u8 (1 = dialer, 2 = acceptor)
 *                             ‖ dialerHelloLength:u16 ‖ dialerHello
 *                             ‖ acceptorHelloLength:u16 ‖ acceptorHello)
 * </pre>
 *
 * <p>Each hello holds its sender's cluster, name, incarnation and a fresh 16-byte nonce, so a proof
 * is good for one connection between two named incarnations only: it cannot be replayed on another
 * connection (other nonces), and the role byte keeps one side's proof from being reflected back as
 * the other side's. Proofs are compared in constant time ({@link MessageDigest#isEqual}).
 */
final class SecretProof {

  private static final byte[] LABEL = "meld-mesh-proof-v1".getBytes(StandardCharsets.US_ASCII);
  private static final String ALGORITHM = "HmacSHA256";

  static final int DIALER = 1;
  static final int ACCEPTOR = 2;

  private SecretProof() {}

  /** The proof that the side in {@code role} knows {@code secret}, for this pair of hellos. */
  static byte[] prove(byte[] secret, int role, byte[] dialerHello, byte[] acceptorHello) {
    ByteBuffer input =
        ByteBuffer.allocate(LABEL.length + 1 + 2 + dialerHello.length + 2 + acceptorHello.length)
            .put(LABEL)
            .put((byte) role)
            .putShort((short) dialerHello.length)
            .put(dialerHello)
            .putShort((short) acceptorHello.length)
            .put(acceptorHello);
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      return mac.doFinal(input.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }

  /** Whether {@code actual} equals {@code expected}, in time independent of where they differ. */
  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }
}
