package dev.meld.crdt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strict UTF-8: unlike {@link String#getBytes}, it refuses unpaired surrogates instead of
 * replacing them with '?', and refuses malformed input instead of replacing it with U+FFFD, so
 * that text and bytes map one to one and decoding then re-encoding gives back the same bytes.
 */
final class Utf8 {
  private Utf8() {}

  /* Node names, and many elements, are ASCII, and their UTF-8 is their chars: the fast paths below
   * skip the charset coders, which allocate a coder and buffers per call (the write path encodes a
   * replica id in every record and delta it writes). Other text goes through the strict coders. */

  /** Whether every char of {@code s} is ASCII, so its UTF-8 is its chars, one byte each. */
  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * The length of {@link #encode}'s bytes, without making them; an {@link
   * IllegalArgumentException} if {@code s} has a lone surrogate.
   */
  static int length(String s, String what) {
    return isAscii(s) ? s.length() : encode(s, what).length;
  }

  /** The UTF-8 bytes of {@code s}; an {@link IllegalArgumentException} if it has a lone surrogate. */
  static byte[] encode(String s, String what) {
    if (isAscii(s)) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
    try {
      ByteBuffer out =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(s));
      return Arrays.copyOfRange(out.array(), out.arrayOffset(), out.arrayOffset() + out.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          what + ": " + s.length() + " chars with an unpaired surrogate (expected: valid Unicode)");
    }
  }

  /** The text of {@code bytes}; a {@link CrdtDecodeException} if they are not valid UTF-8. */
  static String decode(byte[] bytes, Object what) {
    if (isAscii(bytes)) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CrdtDecodeException(
          what + ": " + bytes.length + " bytes that are not valid UTF-8 (expected: UTF-8 text)");
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
