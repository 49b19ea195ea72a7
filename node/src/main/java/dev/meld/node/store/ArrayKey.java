package dev.meld.node.store;

import java.util.Arrays;

/**
 * A byte array as a hash map's key: equal by content, as arrays are not, with its hash computed
 * once. The array is not copied: whoever makes the key must not change it afterwards.
 */
public final class ArrayKey {

  private final byte[] bytes;
  private final int hash;

  public ArrayKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The array itself, not a copy. */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArrayKey other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
