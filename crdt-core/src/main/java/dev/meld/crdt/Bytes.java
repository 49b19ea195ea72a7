package dev.meld.crdt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string: the element and value type the node replicates. Ordered unsigned
 * lexicographically (the order of the canonical encodings).
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] data;

  /* The hash, computed at the first hashCode() (0: not yet), as String keeps its own: a key is
   * hashed by every map the write path looks it up in (the batch's staged slots, the record cache,
   * and the cache again when it is added; up to 17% of the replica thread's samples in a profile of
   * pipelined INCRs, node README). A race computes it twice, to the same value. */
  private int hash;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** A byte string holding a copy of {@code bytes}. */
  public static Bytes of(byte... bytes) {
    return new Bytes(bytes.clone());
  }

  /** The UTF-8 bytes of {@code text}; an {@link IllegalArgumentException} on a lone surrogate. */
  public static Bytes utf8(String text) {
    return new Bytes(Utf8.encode(text, "text"));
  }

  /** Takes {@code bytes} without copying; the caller gives up the array. */
  static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return data.clone();
  }

  public int length() {
    return data.length;
  }

  public byte byteAt(int index) {
    return data[index];
  }

  /** The bytes, not copied: for encoders in this package, which only read them. */
  byte[] array() {
    return data;
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(data, other.data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(data);
      hash = h; // a hash of 0 is computed each time, as before
    }
    return h;
  }

  /** The bytes in hex, e.g. {@code 0x6869}. */
  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(data);
  }
}
