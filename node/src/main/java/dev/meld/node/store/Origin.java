package dev.meld.node.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One incarnation of one node: the author of a stream of replication log entries. Sequence numbers
 * are per origin, so a node that takes a new incarnation starts a new stream at 1 and can never
 * collide with what its earlier incarnations wrote.
 *
 * @param node the node's name, 1 to {@value StoreLimits#MAX_NAME_BYTES} UTF-8 bytes
 * @param incarnation the incarnation, compared as an unsigned 64-bit number
 */
public record Origin(String node, long incarnation) {

  public Origin {
    checkName("node name", node);
  }

  /** Checks a node or meta name and returns its UTF-8 bytes. */
  static byte[] checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0 || bytes.length > StoreLimits.MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          what
              + " length: "
              + bytes.length
              + " bytes (expected: 1.."
              + StoreLimits.MAX_NAME_BYTES
              + ")");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return node + "#" + String.format("%016x", incarnation);
  }
}
