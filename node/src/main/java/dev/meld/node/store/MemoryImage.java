package dev.meld.node.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An immutable picture of what a {@link MemoryRecordStore} had committed: the simulator's disk. An
 * image taken from an open store still carries the open marker, so a store reopened from it reports
 * {@link PriorShutdown#UNCLEAN} (a crash keeps only what was committed); an image taken after
 * {@link RecordStore#close()} reopens {@link PriorShutdown#CLEAN}.
 */
public final class MemoryImage {

  private static final MemoryImage EMPTY = new MemoryImage(new EnumMap<>(Space.class), false);

  private final Map<Space, NavigableMap<byte[], byte[]>> contents;
  private final boolean restored;

  private MemoryImage(EnumMap<Space, TreeMap<byte[], byte[]>> contents, boolean restored) {
    EnumMap<Space, NavigableMap<byte[], byte[]>> frozen = new EnumMap<>(Space.class);
    contents.forEach((space, map) -> frozen.put(space, Collections.unmodifiableNavigableMap(map)));
    this.contents = Collections.unmodifiableMap(frozen);
    this.restored = restored;
  }

  static MemoryImage of(EnumMap<Space, TreeMap<byte[], byte[]>> contents) {
    return new MemoryImage(contents, false);
  }

  /** A wiped disk: a store opened on it is {@link PriorShutdown#FRESH}. */
  public static MemoryImage empty() {
    return EMPTY;
  }

  /**
   * This image as an operator's restored copy (from a backup): a store opened on it reports {@link
   * PriorShutdown#RESTORED}, so the node takes a new incarnation.
   */
  public MemoryImage markedRestored() {
    EnumMap<Space, TreeMap<byte[], byte[]>> copy = new EnumMap<>(Space.class);
    contents.forEach((space, map) -> copy.put(space, new TreeMap<>(map)));
    return new MemoryImage(copy, true);
  }

  /** Whether this image was marked as a restored copy. */
  public boolean isMarkedRestored() {
    return restored;
  }

  Map<Space, NavigableMap<byte[], byte[]>> contents() {
    return contents;
  }
}
