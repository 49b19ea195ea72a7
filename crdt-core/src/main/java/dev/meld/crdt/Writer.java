package dev.meld.crdt;

import java.io.ByteArrayOutputStream;

/** Builds one encoded state; the writing side of {@link Reader}. */
final class Writer {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  void u8(int b) {
    out.write(b);
  }

  /** Unsigned LEB128 of a non-negative long, shortest form. */
  void varint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint: " + value + " (expected: >= 0)");
    }
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  void fixed64(long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
  }

  /** A varint length, then the bytes. */
  void bytes(byte[] bytes) {
    varint(bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
