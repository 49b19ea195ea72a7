package dev.meld.node.embed;

import dev.meld.node.command.Command;
import dev.meld.node.server.CommandGateway;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated counter (a PN-counter): every node may add and subtract at once, and all converge to
 * the sum. {@link #reset()} cancels what this node has seen; increments it has not seen yet
 * survive. Synchronous methods wait for the durable local commit; {@code ...Async} ones return at
 * once.
 */
public final class MeldCounter extends Handle {

  MeldCounter(String key, CommandGateway gateway) {
    super(key, gateway);
  }

  /** Adds 1; returns the new value. */
  public long increment() {
    return increment(1);
  }

  /** Adds {@code amount} (any sign); returns the new value. */
  public long increment(long amount) {
    return sync(new Command.Increment(key, amount), Handle::integer);
  }

  public CompletableFuture<Long> incrementAsync(long amount) {
    return async(new Command.Increment(key, amount), Handle::integer);
  }

  /** Subtracts 1; returns the new value. */
  public long decrement() {
    return decrement(1);
  }

  /** Subtracts {@code amount} (any sign); returns the new value. */
  public long decrement(long amount) {
    return sync(new Command.Decrement(key, amount), Handle::integer);
  }

  public CompletableFuture<Long> decrementAsync(long amount) {
    return async(new Command.Decrement(key, amount), Handle::integer);
  }

  /** The value as this node sees it (0 if the counter does not exist). */
  public long get() {
    return sync(new Command.CounterGet(key), Handle::integer);
  }

  public CompletableFuture<Long> getAsync() {
    return async(new Command.CounterGet(key), Handle::integer);
  }

  /** Cancels every change this node has seen; returns the value before. */
  public long reset() {
    return sync(new Command.CounterReset(key), Handle::integer);
  }

  public CompletableFuture<Long> resetAsync() {
    return async(new Command.CounterReset(key), Handle::integer);
  }
}
