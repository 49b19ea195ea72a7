package dev.meld.node.store;

/** Lets tests outside this package drop a store as a killed process would. */
public final class StoreCrash {

  private StoreCrash() {}

  /** Releases {@code store} without the clean-close protocol: the next open sees UNCLEAN. */
  public static void abandon(RecordStore store) {
    ((EngineRecordStore) store).abandon();
  }
}
