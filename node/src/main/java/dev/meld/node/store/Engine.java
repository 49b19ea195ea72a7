package dev.meld.node.store;

import java.util.List;

/**
 * An ordered key-value engine with atomic multi-space writes: what a {@link RecordStore} needs from
 * RocksDB or from memory. Keys order as unsigned bytes. Arrays passed in are not retained mutably
 * and arrays handed out are the caller's own.
 */
interface Engine extends AutoCloseable {

  /** Receives entries in key order; returns false to stop. */
  @FunctionalInterface
  interface EntryVisitor {
    boolean visit(byte[] key, byte[] value);
  }

  /** The value under {@code key}, or null. */
  byte[] get(Space space, byte[] key);

  /**
   * Visits {@code [fromInclusive, toExclusive)} in order over a snapshot taken when the scan
   * starts; {@code toExclusive} null means to the end of the space.
   */
  void scan(Space space, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor);

  /**
   * A view of every space as it is now: its scans see no later write, however long it stays open.
   * Its owner closes it; closing the engine closes every view still open, after which their scans
   * fail. A view may be used from any one thread at a time.
   */
  View openView();

  /** What {@link #openView} returns. */
  interface View extends AutoCloseable {
    /** As {@link Engine#scan}, over the view's moment. */
    void scan(Space space, byte[] fromInclusive, byte[] toExclusive, EntryVisitor visitor);

    /** Releases what the view pins; idempotent. */
    @Override
    void close();
  }

  /**
   * Applies all changes atomically, in order. Returns once the write survives a process crash; with
   * {@code sync}, once it survives power loss.
   */
  void write(List<Change> changes, boolean sync);

  /** A number that changes whenever a write reaches the engine; for tests of "writes nothing". */
  long writeMark();

  /** Makes every earlier write survive power loss. */
  void syncAll();

  @Override
  void close();
}
