package dev.meld.antientropy;

/**
 * A sync message that is malformed, oversized, stale or unexpected. The message says what was wrong
 * and what was expected. Whoever throws it has changed nothing.
 */
public final class SyncProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  public SyncProtocolException(String message) {
    super(message);
  }
}
