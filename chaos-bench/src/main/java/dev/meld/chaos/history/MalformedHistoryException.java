package dev.meld.chaos.history;

/** Ops that do not form a history: indices out of order, or invocations that do not pair up. */
public final class MalformedHistoryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int position;

  MalformedHistoryException(int position, String message) {
    super(message);
    this.position = position;
  }

  /** The position (0-based, in the list given) of the first op that breaks the rules. */
  public int position() {
    return position;
  }
}
