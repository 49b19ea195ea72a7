package dev.meld.node.store;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * A {@link RecordStore} in memory, for tests and the deterministic simulator: sorted maps, no
 * threads, no I/O, no randomness, so equal inputs give equal states. It behaves exactly like {@link
 * RocksRecordStore} (both share their rules and encodings, and one contract test suite runs against
 * both). "Durable" here means "in the {@link #image()}": the simulator crashes a node by keeping
 * {@code store.image()} and dropping the store, and restarts it with {@link #open(MemoryImage,
 * ToLongFunction, StoreLimits)}.
 */
public final class MemoryRecordStore extends EngineRecordStore {

  private MemoryRecordStore(
      MemoryEngine engine, ToLongFunction<byte[]> keyHash, StoreLimits limits, boolean restored) {
    super(engine, keyHash, "a memory image", limits, false, restored, false);
  }

  /** A fresh, empty store with default limits. */
  public static MemoryRecordStore create(ToLongFunction<byte[]> keyHash) {
    return open(MemoryImage.empty(), keyHash, StoreLimits.DEFAULTS);
  }

  /**
   * Opens a store on {@code image} (which is not changed: the store works on its own copy).
   *
   * @throws IllegalArgumentException if {@code keyHash} is not the function the image's store was
   *     created with
   */
  public static MemoryRecordStore open(
      MemoryImage image, ToLongFunction<byte[]> keyHash, StoreLimits limits) {
    Objects.requireNonNull(image, "image");
    return new MemoryRecordStore(
        new MemoryEngine(image.contents()), keyHash, limits, image.isMarkedRestored());
  }

  /**
   * What this store has committed so far, including the open marker while it is open. Works after
   * {@link #close()} too, which is how the simulator keeps a cleanly stopped node's disk.
   */
  public MemoryImage image() {
    return MemoryImage.of(((MemoryEngine) engine()).contents());
  }
}
