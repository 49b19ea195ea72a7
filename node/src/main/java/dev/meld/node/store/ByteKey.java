package dev.meld.node.store;

import java.util.Arrays;

/** A byte array with value equality, for hash maps keyed by encoded keys. */
record ByteKey(byte[] bytes) {

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "ByteKey" + Arrays.toString(bytes);
  }
}
