package dev.meld.node.store;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An {@link Engine} over one sorted map per space: deterministic, with no I/O. Arrays stored here
 * are never mutated (they are copied in and out), so images can share them.
 */
final class MemoryEngine implements Engine {

  /* Scans see a snapshot, as RocksDB iterators do, without copying on every scan: a scan pins the
   * map it iterates, and a write that would modify a pinned map first replaces it with a copy.
   * Copies happen only when a write lands during a scan of the same space (a visitor that
   * commits), which the replica rarely does, or while a view is open (one copy per space per
   * view, at the first write after it opened). */

  /** The order of every space; one instance so that copies between maps stay linear. */
  static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

  private final EnumMap<Space, TreeMap<byte[], byte[]>> maps = new EnumMap<>(Space.class);
  private final Map<TreeMap<byte[], byte[]>, Integer> pinned = new IdentityHashMap<>();
  private long writes;
  private final long[] reads = new long[Space.values().length];

  MemoryEngine(Map<Space, ? extends NavigableMap<byte[], byte[]>> contents) {
    for (Space space : Space.values()) {
      TreeMap<byte[], byte[]> map = new TreeMap<>(ORDER);
      NavigableMap<byte[], byte[]> source = contents.get(space);
      if (source != null) {
        map.putAll(source);
      }
      maps.put(space, map);
    }
  }

  @Override
  public synchronized byte[] get(Space space, byte[] key) {
    reads[space.ordinal()]++;
    byte[] value = maps.get(space).get(key);
    return value == null ? null : value.clone();
  }

  /** Point reads of {@code space} so far (tests count what a commit reads). */
  synchronized long reads(Space space) {
    return reads[space.ordinal()];
  }

  @Override
  public synchronized void scan(
      Space space, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor) {
    TreeMap<byte[], byte[]> map = maps.get(space);
    pin(map);
    try {
      visit(map, fromInclusive, toExclusive, visitor);
    } finally {
      unpin(map);
    }
  }

  @Override
  public synchronized View openView() {
    EnumMap<Space, TreeMap<byte[], byte[]>> seen = new EnumMap<>(maps);
    seen.values().forEach(this::pin);
    return new MemoryView(seen);
  }

  /* Pinned for as long as it is open, so that the maps it holds are never written again. */
  private final class MemoryView implements View {
    private final EnumMap<Space, TreeMap<byte[], byte[]>> seen;
    private boolean closed;

    MemoryView(EnumMap<Space, TreeMap<byte[], byte[]>> seen) {
      this.seen = seen;
    }

    @Override
    public void scan(Space space, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor) {
      synchronized (MemoryEngine.this) {
        if (closed) {
          throw new IllegalStateException("view is closed");
        }
        visit(seen.get(space), fromInclusive, toExclusive, visitor);
      }
    }

    @Override
    public void close() {
      synchronized (MemoryEngine.this) {
        if (!closed) {
          closed = true;
          seen.values().forEach(MemoryEngine.this::unpin);
        }
      }
    }
  }

  private static void visit(
      TreeMap<byte[], byte[]> map, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor) {
    for (Map.Entry<byte[], byte[]> e : range(map, fromInclusive, toExclusive).entrySet()) {
      if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
        return;
      }
    }
  }

  private void pin(TreeMap<byte[], byte[]> map) {
    pinned.merge(map, 1, Integer::sum);
  }

  private void unpin(TreeMap<byte[], byte[]> map) {
    pinned.computeIfPresent(map, (m, n) -> n == 1 ? null : n - 1);
  }

  @Override
  public synchronized void write(List<Change> changes, boolean sync) {
    for (Change change : changes) {
      TreeMap<byte[], byte[]> map = writable(change.space());
      if (change instanceof Change.Put put) {
        map.put(put.key().clone(), put.value().clone());
      } else if (change instanceof Change.Delete delete) {
        map.remove(delete.key());
      } else if (change instanceof Change.DeleteRange range) {
        range(map, range.fromInclusive(), range.toExclusive()).clear();
      } else {
        throw new AssertionError("unknown change " + change);
      }
    }
    writes++;
  }

  private static NavigableMap<byte[], byte[]> range(
      TreeMap<byte[], byte[]> map, byte[] fromInclusive, byte[] toExclusive) {
    return toExclusive == null
        ? map.tailMap(fromInclusive, true)
        : map.subMap(fromInclusive, true, toExclusive, false);
  }

  private TreeMap<byte[], byte[]> writable(Space space) {
    TreeMap<byte[], byte[]> map = maps.get(space);
    if (pinned.containsKey(map)) {
      map = new TreeMap<>(map);
      maps.put(space, map);
    }
    return map;
  }

  @Override
  public synchronized long writeMark() {
    return writes;
  }

  @Override
  public void syncAll() {}

  /** A copy of everything written so far, sharing the (immutable) arrays. */
  synchronized EnumMap<Space, TreeMap<byte[], byte[]>> contents() {
    EnumMap<Space, TreeMap<byte[], byte[]>> copy = new EnumMap<>(Space.class);
    maps.forEach((space, map) -> copy.put(space, new TreeMap<>(map)));
    return copy;
  }

  /** Memory has nothing to release; the contents stay readable for {@link #contents()}. */
  @Override
  public void close() {}
}
