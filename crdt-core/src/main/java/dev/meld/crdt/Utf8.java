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

  /** The UTF-8 bytes of {@code s}; an {@link IllegalArgumentException} if it has a lone surrogate. */
  static byte[] encode(String s, String what) {
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
  static String decode(byte[] bytes, String what) {
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
}
