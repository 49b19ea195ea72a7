package dev.meld.node.embed;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.server.CommandGateway;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated string register (last writer wins, by hybrid logical clock; the node name breaks
 * ties). Synchronous methods wait for the durable local commit; {@code ...Async} ones return at
 * once.
 */
public final class MeldRegister extends Handle {

  MeldRegister(String key, CommandGateway gateway) {
    super(key, gateway);
  }

  /** Sets the value. */
  public void set(String value) {
    sync(new Command.RegisterSet(key, Bytes.utf8(value)), r -> null);
  }

  public CompletableFuture<Void> setAsync(String value) {
    return async(new Command.RegisterSet(key, Bytes.utf8(value)), r -> null);
  }

  /** The value as this node sees it, or empty if unset or deleted. */
  public Optional<String> get() {
    return sync(new Command.RegisterGet(key), MeldRegister::value);
  }

  public CompletableFuture<Optional<String>> getAsync() {
    return async(new Command.RegisterGet(key), MeldRegister::value);
  }

  /** Deletes the value; returns whether there was one. */
  public boolean delete() {
    return sync(new Command.RegisterDelete(key), r -> integer(r) == 1);
  }

  public CompletableFuture<Boolean> deleteAsync() {
    return async(new Command.RegisterDelete(key), r -> integer(r) == 1);
  }

  private static Optional<String> value(Reply reply) {
    if (reply instanceof Reply.Bulk b) {
      return Optional.of(text(b.value()));
    } else if (reply instanceof Reply.Nil) {
      return Optional.empty();
    }
    throw unexpected(reply);
  }
}
