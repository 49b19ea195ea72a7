package dev.meld.node.store;

/** The storage engine failed (I/O error, corruption, a store already opened by another process). */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
