package dev.meld.antientropy;

import java.util.Arrays;

/** A growable array of primitive longs. */
final class LongList {

  private long[] values = new long[8];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  void addAll(long[] more) {
    if (size + more.length > values.length) {
      values = Arrays.copyOf(values, Math.max(size * 2, size + more.length));
    }
    System.arraycopy(more, 0, values, size, more.length);
    size += more.length;
  }

  long get(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException("index: " + index + " (expected: < " + size + ")");
    }
    return values[index];
  }

  int size() {
    return size;
  }

  long[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
