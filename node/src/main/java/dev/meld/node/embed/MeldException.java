package dev.meld.node.embed;

import dev.meld.node.command.Reply;

/**
 * A command the node refused: the key holds another type, a value is too large, a counter would
 * overflow, or the node is draining. Nothing changed. {@link #code()} says which.
 */
public final class MeldException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Reply.Code code;

  MeldException(Reply.Code code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  /** Why the command was refused. */
  public Reply.Code code() {
    return code;
  }
}
