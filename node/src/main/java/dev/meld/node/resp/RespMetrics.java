package dev.meld.node.resp;

/**
 * What the client port reports for metrics; the node runtime implements it (with Micrometer). Every
 * method has a no-op default and is called on a Netty event loop, so an implementation must be
 * thread-safe and must not block.
 */
public interface RespMetrics {

  /** Reports nothing. */
  RespMetrics NOOP = new RespMetrics() {};

  /** A client connected (and was admitted under the client limit). */
  default void connectionOpened() {}

  /** An admitted client's connection closed. */
  default void connectionClosed() {}

  /** A client was turned away because the port already had its maximum of clients. */
  default void connectionRejected() {}

  /**
   * A command was answered.
   *
   * @param command the command's lower-case name ({@code get}, {@code client}); {@code unknown} for
   *     names the port does not know, so the set of names stays small
   * @param nanos from the request being handed on to its reply being ready, in nanoseconds (a
   *     request held while its connection was at {@link RespConfig#maxPipelinedCommands()} counts
   *     from when it got room)
   * @param error whether the reply was an error
   */
  default void commandCompleted(String command, long nanos, boolean error) {}

  /**
   * A connection broke the protocol or a limit and is being closed.
   *
   * @param reason a short, fixed label: {@code protocol}, {@code budget} (the node-wide budget of
   *     unfinished requests could not take the request), {@code auth} (too many failed {@code
   *     AUTH}s), {@code idle} (the idle timeout)
   */
  default void connectionFailed(String reason) {}

  /**
   * An {@code AUTH} (or {@code HELLO ... AUTH}) failed.
   *
   * @param reason {@code wrongpass} (wrong user or password), {@code address} (refused unchecked:
   *     the source address is over its allowance of failures)
   */
  default void authFailed(String reason) {}
}
