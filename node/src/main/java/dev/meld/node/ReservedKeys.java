package dev.meld.node;

import dev.meld.crdt.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The part of the key space the node keeps for its own replicated records: every key that starts
 * with the bytes {@code 00 6d 65 6c 64 3a} ({@code "\0meld:"}). Client commands on such keys are
 * refused; the records still replicate and are repaired like any other, but are not counted as
 * client keys.
 */
final class ReservedKeys {

  /** The reserved prefix. */
  static final byte[] PREFIX = "\0meld:".getBytes(StandardCharsets.US_ASCII);

  /** The member set: an OR-set of encoded {@link Member}s. */
  static final Bytes MEMBERS = Bytes.of(concat(PREFIX, "members"));

  private ReservedKeys() {}

  static boolean isReserved(Bytes key) {
    if (key.length() < PREFIX.length) {
      return false;
    }
    for (int i = 0; i < PREFIX.length; i++) {
      if (key.byteAt(i) != PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  static boolean isReserved(byte[] key) {
    return key.length >= PREFIX.length
        && Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
  }

  private static byte[] concat(byte[] prefix, String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(prefix, prefix.length + n.length);
    System.arraycopy(n, 0, out, prefix.length, n.length);
    return out;
  }
}
