package dev.meld.node.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of half-open key ranges {@code [from, to)} in unsigned byte order, kept as disjoint ranges:
 * overlapping ones are merged when added, so membership is one floor lookup however many ranges a
 * batch deletes. Adjacent ranges stay apart, so each range added over untouched keys comes back as
 * one range of its own.
 */
final class KeyRanges {

  private final TreeMap<byte[], byte[]> ranges = new TreeMap<>(MemoryEngine.ORDER);

  /** Adds {@code [from, to)}; an empty or reversed range adds nothing. */
  void add(byte[] from, byte[] to) {
    if (Arrays.compareUnsigned(from, to) >= 0) {
      return;
    }
    Map.Entry<byte[], byte[]> before = ranges.floorEntry(from);
    if (before != null && Arrays.compareUnsigned(before.getValue(), from) > 0) {
      from = before.getKey();
      to = max(to, before.getValue());
      ranges.remove(from);
    }
    for (Map.Entry<byte[], byte[]> next = ranges.ceilingEntry(from);
        next != null && Arrays.compareUnsigned(next.getKey(), to) < 0;
        next = ranges.ceilingEntry(from)) {
      to = max(to, next.getValue());
      ranges.remove(next.getKey());
    }
    ranges.put(from, to);
  }

  /** Whether some range holds {@code key}. */
  boolean contains(byte[] key) {
    Map.Entry<byte[], byte[]> floor = ranges.floorEntry(key);
    return floor != null && Arrays.compareUnsigned(key, floor.getValue()) < 0;
  }

  /** The ranges as range deletes of {@code space}, in key order. */
  List<Change> deletes(Space space) {
    List<Change> out = new ArrayList<>(ranges.size());
    ranges.forEach((from, to) -> out.add(new Change.DeleteRange(space, from, to)));
    return out;
  }

  private static byte[] max(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
