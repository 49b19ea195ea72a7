package dev.meld.node.resp;

/**
 * A command refused before it reaches the replica (arity, syntax, a bad number): the connection
 * answers it with {@link #reply()} and goes on with the next command.
 */
final class CommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message the whole Redis error line, code first: {@code ERR syntax error}
   */
  CommandException(String message) {
    super(message, null, false, false);
  }

  static CommandException notAnInteger() {
    return new CommandException("ERR value is not an integer or out of range");
  }

  static CommandException syntax() {
    return new CommandException("ERR syntax error");
  }

  RespValue.Error reply() {
    return new RespValue.Error(getMessage());
  }
}
