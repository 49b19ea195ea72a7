package dev.meld.antientropy;

/**
 * Reads a frame's fields with a bounds check before every read, so malformed input is rejected with
 * {@link SyncProtocolException} before anything is allocated for it.
 */
final class WireReader {

  private final byte[] buf;
  private int pos;
  private final int limit;

  WireReader(byte[] buf, int offset, int limit) {
    this.buf = buf;
    this.pos = offset;
    this.limit = limit;
  }

  int remaining() {
    return limit - pos;
  }

  /** Fails unless {@code count} items of at least {@code minBytesEach} bytes can still follow. */
  void requireItems(long count, int minBytesEach, String what) throws SyncProtocolException {
    if (count > remaining() / Math.max(1, minBytesEach)) {
      throw new SyncProtocolException(
          what
              + ": "
              + count
              + " (expected: <= "
              + remaining() / Math.max(1, minBytesEach)
              + ", the bytes left in the frame)");
    }
  }

  private void need(int n, String what) throws SyncProtocolException {
    if (n > remaining()) {
      throw new SyncProtocolException(
          "truncated " + what + ": needs " + n + " bytes, " + remaining() + " left");
    }
  }

  int u8(String what) throws SyncProtocolException {
    need(1, what);
    return buf[pos++] & 0xff;
  }

  long i64(String what) throws SyncProtocolException {
    return uint(8, what);
  }

  /** A big-endian unsigned value of {@code width} bytes (1..8). */
  long uint(int width, String what) throws SyncProtocolException {
    need(width, what);
    long v = 0;
    for (int i = 0; i < width; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  /** An unsigned LEB128 varint of at most 64 bits, in its shortest form. */
  long varint(String what) throws SyncProtocolException {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int b = u8(what);
      if (shift == 63 && b > 1) {
        throw new SyncProtocolException(what + ": varint overflows 64 bits");
      }
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new SyncProtocolException(what + ": varint not in shortest form");
        }
        return v;
      }
    }
  }

  /** A varint that must lie in {@code [0, max]}. */
  int count(long max, String what) throws SyncProtocolException {
    long v = varint(what);
    if (v < 0 || v > max) {
      throw new SyncProtocolException(
          what + ": " + Long.toUnsignedString(v) + " (expected: <= " + max + ")");
    }
    return (int) v;
  }

  byte[] bytes(int n, String what) throws SyncProtocolException {
    need(n, what);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }
}
