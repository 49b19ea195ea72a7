package dev.meld.crdt;

import java.util.Arrays;

/**
 * A cursor over one encoded state. Every read checks the bytes remaining first, and every length
 * or count is checked against both the {@link DecodeLimits} and the bytes remaining before
 * anything is allocated from it. Varints are unsigned LEB128 of at most 9 bytes (63 bits), in
 * their shortest form only, so each number has one encoding. A field's name ({@code what}) is any
 * object whose text names it, a {@link Label} where it is put together, read only for an error.
 */
final class Reader {
  private static final int MAX_VARINT_BYTES = 9;

  private final byte[] in;
  private final DecodeLimits limits;
  private int pos;

  Reader(byte[] in, DecodeLimits limits) {
    if (in.length > limits.maxInputBytes()) {
      throw new CrdtDecodeException(
          "input: " + in.length + " bytes (expected: <= " + limits.maxInputBytes() + ")");
    }
    this.in = in;
    this.limits = limits;
  }

  DecodeLimits limits() {
    return limits;
  }

  int u8(Object what) {
    need(1, what);
    return in[pos++] & 0xff;
  }

  long varint(Object what) {
    int start = pos;
    long value = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      int b = u8(what);
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new CrdtDecodeException(
              what + ": varint at offset " + start + " has a redundant zero byte"
                  + " (expected: shortest form)");
        }
        return value;
      }
    }
    throw new CrdtDecodeException(
        what + ": varint at offset " + start + " runs past " + MAX_VARINT_BYTES
            + " bytes (expected: <= " + Long.MAX_VALUE + ")");
  }

  /** A varint that must be at least 1 (counters). */
  long positive(Object what) {
    long value = varint(what);
    if (value < 1) {
      throw new CrdtDecodeException(what + ": 0 (expected: >= 1)");
    }
    return value;
  }

  /** A count of entries that each take at least {@code minBytesEach} bytes. */
  int count(Object what, int minBytesEach) {
    long count = varint(what);
    if (count > limits.maxEntries()) {
      throw new CrdtDecodeException(
          what + ": " + count + " (expected: <= " + limits.maxEntries() + ")");
    }
    if (count * minBytesEach > remaining()) {
      throw new CrdtDecodeException(
          what + ": " + count + " entries of >= " + minBytesEach + " bytes with " + remaining()
              + " bytes left (expected: <= " + remaining() / minBytesEach + ")");
    }
    return (int) count;
  }

  /** A length-prefixed byte string of at most {@code max} bytes. */
  byte[] bytes(Object what, int max) {
    long length = varint(Label.of(what, " length"));
    if (length > max) {
      throw new CrdtDecodeException(what + " length: " + length + " (expected: <= " + max + ")");
    }
    need(length, what);
    byte[] out = Arrays.copyOfRange(in, pos, pos + (int) length);
    pos += (int) length;
    return out;
  }

  /** Eight bytes, big-endian. */
  long fixed64(Object what) {
    need(8, what);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (in[pos++] & 0xff);
    }
    return value;
  }

  /** Checks that the whole input was read. */
  void end() {
    if (pos != in.length) {
      throw new CrdtDecodeException(
          "trailing bytes: " + (in.length - pos) + " after offset " + pos + " (expected: none)");
    }
  }

  private int remaining() {
    return in.length - pos;
  }

  private void need(long n, Object what) {
    if (n > remaining()) {
      throw new CrdtDecodeException(
          "truncated: " + what + " needs " + n + " bytes at offset " + pos + " (have: "
              + remaining() + ")");
    }
  }
}
