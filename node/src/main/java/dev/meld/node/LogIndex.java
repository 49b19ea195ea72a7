package dev.meld.node;

import java.util.Arrays;

/**
 * What the replica remembers in memory about each retained local log entry: when it was committed
 * and its payload size, for lag and backlog figures and byte-based retention. Entries are added at
 * the head and dropped from the tail, like the log itself.
 */
final class LogIndex {

  /*
   * Two parallel arrays from `start` to `start + count`: commit time and cumulative payload bytes
   * (absolute: bytes of every entry ever added, up to and including this one). Bytes of a range
   * (a, b] are cumulative(b) - cumulative(a); `droppedBytes` is cumulative(first - 1). Dropping
   * moves `start`; the arrays are compacted when the dead prefix is the larger half.
   */
  private long first; // sequence number of the entry at `start`
  private int start;
  private int count;
  private long[] times = new long[64];
  private long[] cumulative = new long[64];
  private long droppedBytes;

  /** An empty index whose next entry will be {@code firstSeq}. */
  LogIndex(long firstSeq) {
    this.first = firstSeq;
  }

  /** Adds the next entry. */
  void add(long commitMillis, long bytes) {
    if (start + count == times.length) {
      int live = count;
      int capacity = live * 2 < times.length ? times.length : times.length * 2;
      times = compact(times, capacity);
      cumulative = compact(cumulative, capacity);
      start = 0;
      count = live;
    }
    long before = count == 0 ? droppedBytes : cumulative[start + count - 1];
    times[start + count] = commitMillis;
    cumulative[start + count] = before + bytes;
    count++;
  }

  private long[] compact(long[] array, int capacity) {
    long[] out = new long[capacity];
    System.arraycopy(array, start, out, 0, count);
    return out;
  }

  /** Drops every entry up to and including {@code seq}. */
  void dropThrough(long seq) {
    long drop = Math.min(count, Math.max(0, seq - first + 1));
    if (drop == 0) {
      return;
    }
    droppedBytes = cumulative[start + (int) drop - 1];
    start += (int) drop;
    count -= (int) drop;
    first += drop;
    if (count == 0) {
      start = 0;
    }
  }

  /** Sequence number of the oldest entry held (the next to be added if none). */
  long first() {
    return first;
  }

  long size() {
    return count;
  }

  /** Payload bytes of the entries held. */
  long bytes() {
    return count == 0 ? 0 : cumulative[start + count - 1] - droppedBytes;
  }

  /** Payload bytes of the held entries after {@code seq}. */
  long bytesAfter(long seq) {
    if (count == 0) {
      return 0;
    }
    long last = cumulative[start + count - 1];
    if (seq < first) {
      return last - droppedBytes;
    }
    if (seq >= first + count) {
      return 0;
    }
    return last - cumulative[start + (int) (seq - first)];
  }

  /** The commit time of entry {@code seq}, or -1 if it is not held. */
  long commitTime(long seq) {
    if (seq < first || seq >= first + count) {
      return -1;
    }
    return times[start + (int) (seq - first)];
  }

  /**
   * The smallest {@code s} such that the entries after {@code s} hold at most {@code maxBytes}
   * bytes: how far to trim to meet a byte budget.
   */
  long trimPointForBytes(long maxBytes) {
    if (bytes() <= maxBytes) {
      return first - 1;
    }
    long last = cumulative[start + count - 1];
    // cumulative is ascending: find the first index whose "bytes after" fits
    int lo = start;
    int hi = start + count - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (last - cumulative[mid] <= maxBytes) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return first + (lo - start);
  }

  @Override
  public String toString() {
    return "LogIndex[first="
        + first
        + ", count="
        + count
        + ", bytes="
        + bytes()
        + ", times="
        + Arrays.toString(Arrays.copyOfRange(times, start, start + Math.min(count, 4)))
        + "...]";
  }
}
