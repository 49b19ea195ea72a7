package dev.meld.node.store;

/** Point reads a memory store's engine has made so far, for tests outside this package. */
public final class EngineReads {

  private EngineReads() {}

  /** Reads of records. */
  public static long records(MemoryRecordStore store) {
    return engine(store).reads(Space.RECORDS);
  }

  /** Reads of pieces. */
  public static long pieces(MemoryRecordStore store) {
    return engine(store).reads(Space.PIECES);
  }

  private static MemoryEngine engine(MemoryRecordStore store) {
    return (MemoryEngine) store.engine();
  }
}
