package dev.meld.node.resp;

import java.util.concurrent.CompletableFuture;

/** What a command does: called on the connection's event loop with arity already checked. */
@FunctionalInterface
interface CommandHandler {

  /**
   * Runs the command for {@code client}; the future completes on the event loop.
   *
   * @throws CommandException to refuse the command with a Redis error
   */
  CompletableFuture<RespValue> handle(Client client, Args args);
}
