package dev.meld.node;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A cluster member: a node name and an opaque address the shell knows how to reach (for the Netty
 * node, {@code host:port} of its mesh port). The replica routes by name only.
 *
 * @param name the node's name, 1 to 255 UTF-8 bytes
 * @param address how to reach it, at most {@value #MAX_ADDRESS_BYTES} UTF-8 bytes (may be empty)
 */
public record Member(String name, String address) implements Comparable<Member> {

  /** The longest node name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 255;

  /** The longest address, in UTF-8 bytes. */
  public static final int MAX_ADDRESS_BYTES = 1024;

  public Member {
    checkName(name);
    Objects.requireNonNull(address, "address");
    int length = address.getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_ADDRESS_BYTES) {
      throw new IllegalArgumentException(
          "address length: " + length + " bytes (expected: <= " + MAX_ADDRESS_BYTES + ")");
    }
  }

  /** Checks a node name: 1 to 255 UTF-8 bytes. */
  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    int length = name.getBytes(StandardCharsets.UTF_8).length;
    if (length < 1 || length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "node name length: " + length + " bytes (expected: 1.." + MAX_NAME_BYTES + ")");
    }
    return name;
  }

  /** The member's encoding as a set element: {@code nameLength (u8) ‖ name ‖ address}, UTF-8. */
  byte[] encode() {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] a = address.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + n.length + a.length).put((byte) n.length).put(n).put(a).array();
  }

  /**
   * Decodes {@link #encode()}'s form.
   *
   * @throws IllegalArgumentException if {@code bytes} is not a member's encoding
   */
  static Member decode(byte[] bytes) {
    if (bytes.length < 2 || Byte.toUnsignedInt(bytes[0]) < 1) {
      throw new IllegalArgumentException(
          "member encoding length: " + bytes.length + " (expected: a name length and a name)");
    }
    int nameLength = Byte.toUnsignedInt(bytes[0]);
    if (1 + nameLength > bytes.length) {
      throw new IllegalArgumentException(
          "member name length: " + nameLength + " (expected: <= " + (bytes.length - 1) + ")");
    }
    return new Member(
        utf8(bytes, 1, nameLength), utf8(bytes, 1 + nameLength, bytes.length - 1 - nameLength));
  }

  private static String utf8(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("member encoding: invalid UTF-8 (expected: UTF-8)", e);
    }
  }

  @Override
  public int compareTo(Member other) {
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : address.compareTo(other.address);
  }
}
