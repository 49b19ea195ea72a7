package dev.meld.node.store;

/** How the session before the current one ended, as a store finds out when it is opened. */
public enum PriorShutdown {
  /** There was no store: this open created it. */
  FRESH,
  /** The previous session closed the store cleanly: everything it acknowledged is here. */
  CLEAN,
  /**
   * The previous session never closed (killed, crashed, power lost): acknowledged writes may be
   * missing.
   */
  UNCLEAN,
  /**
   * An operator marked this store as a restored copy: it may be older than what peers have seen.
   */
  RESTORED,
  /**
   * The write-ahead log had lost acknowledged writes (or could not show it had not) and the
   * operator accepted the loss: the store holds a consistent prefix of what it acknowledged.
   */
  DAMAGED
}
