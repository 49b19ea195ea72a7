package dev.meld.crdt;

import java.util.Arrays;

/**
 * Builds one encoded state; the writing side of {@link Reader}.
 *
 * <p>A plain growable array, not a {@code ByteArrayOutputStream}: that one synchronizes every
 * one-byte write, and a counter's record and delta are written a byte at a time, on the write
 * path of every command (6% of the replica thread's samples under pipelined INCRs, node README).
 */
final class Writer {
  private byte[] buf = new byte[64];
  private int size;

  void u8(int b) {
    if (size == buf.length) {
      grow(1);
    }
    buf[size++] = (byte) b;
  }

  /** Unsigned LEB128 of a non-negative long, shortest form. */
  void varint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint: " + value + " (expected: >= 0)");
    }
    if (buf.length - size < 10) { // the longest varint of a long
      grow(10);
    }
    while ((value & ~0x7fL) != 0) {
      buf[size++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    buf[size++] = (byte) value;
  }

  void fixed64(long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      u8((int) (value >>> shift));
    }
  }

  /** A varint length, then the bytes. */
  void bytes(byte[] bytes) {
    varint(bytes.length);
    if (buf.length - size < bytes.length) {
      grow(bytes.length);
    }
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  /**
   * A varint length, then the strict UTF-8 of {@code text} ({@link Utf8#encode}); {@code what}
   * names it in the error for a lone surrogate. ASCII text, such as every node name in practice, is
   * copied char by char: its UTF-8 is its chars, and going through a charset encoder allocated an
   * encoder and three buffers per replica id written.
   */
  void utf8(String text, String what) {
    int n = text.length();
    if (!Utf8.isAscii(text)) {
      bytes(Utf8.encode(text, what));
      return;
    }
    varint(n);
    if (buf.length - size < n) {
      grow(n);
    }
    for (int i = 0; i < n; i++) {
      buf[size++] = (byte) text.charAt(i);
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void grow(int atLeast) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + atLeast));
  }
}
