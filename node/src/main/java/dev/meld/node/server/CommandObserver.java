package dev.meld.node.server;

import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;

/**
 * Hears about every client command a node completes (for metrics). Called on the replica thread:
 * it must be quick and must not block.
 */
@FunctionalInterface
public interface CommandObserver {

  /** Nothing to observe. */
  CommandObserver NONE = (command, reply, latencyNanos) -> {};

  /**
   * {@code command} completed with {@code reply} (null if it failed with an exception), {@code
   * latencyNanos} after it was queued.
   */
  void completed(Command command, Reply reply, long latencyNanos);

  /** {@code commands} queued commands were committed together in one group. */
  default void grouped(int commands) {}
}
