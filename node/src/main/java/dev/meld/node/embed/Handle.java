package dev.meld.node.embed;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.server.CommandGateway;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** What the typed handles share: a key, and a way to run commands and map their replies. */
abstract class Handle {

  private final String name;
  final Bytes key;
  private final CommandGateway gateway;

  Handle(String name, CommandGateway gateway) {
    this.name = Objects.requireNonNull(name, "key");
    this.key = Bytes.utf8(name);
    this.gateway = gateway;
  }

  /** The key this handle reads and writes. */
  public String key() {
    return name;
  }

  /**
   * Runs {@code command}; the future completes on the common fork-join pool, never on the replica
   * thread (whatever the caller chains to it must not stall the node), exceptionally with a {@link
   * MeldException} if the node refused the command.
   */
  final <T> CompletableFuture<T> async(Command command, Function<Reply, T> result) {
    return gateway.execute(command).thenApplyAsync(reply -> map(reply, result));
  }

  /**
   * Runs {@code command} and waits for its result. The reply is mapped where it completes (a
   * conversion, nothing blocking), so a caller on any thread, a change listener included, cannot
   * wait on itself.
   */
  final <T> T sync(Command command, Function<Reply, T> result) {
    try {
      return gateway.execute(command).thenApply(reply -> map(reply, result)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static <T> T map(Reply reply, Function<Reply, T> result) {
    if (reply instanceof Reply.Error e) {
      throw new MeldException(e.code(), e.message());
    }
    return result.apply(reply);
  }

  static long integer(Reply reply) {
    if (reply instanceof Reply.Int i) {
      return i.value();
    }
    throw unexpected(reply);
  }

  static String text(Bytes bytes) {
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  static IllegalStateException unexpected(Reply reply) {
    return new IllegalStateException("reply: " + reply + " (expected another type; a bug)");
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }
}
