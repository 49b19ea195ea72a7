package dev.meld.node.embed;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.server.CommandGateway;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A replicated set of strings (an add-wins observed-remove set): an element added on one node while
 * another removes it stays. A remove takes out the adds this node has seen. Synchronous methods
 * wait for the durable local commit; {@code ...Async} ones return at once.
 */
public final class MeldSet extends Handle {

  MeldSet(String key, CommandGateway gateway) {
    super(key, gateway);
  }

  /** Adds elements; returns how many were absent. */
  public long add(String... elements) {
    return sync(new Command.SetAdd(key, utf8(elements)), Handle::integer);
  }

  public CompletableFuture<Long> addAsync(String... elements) {
    return async(new Command.SetAdd(key, utf8(elements)), Handle::integer);
  }

  /** Removes elements; returns how many were present. */
  public long remove(String... elements) {
    return sync(new Command.SetRemove(key, utf8(elements)), Handle::integer);
  }

  public CompletableFuture<Long> removeAsync(String... elements) {
    return async(new Command.SetRemove(key, utf8(elements)), Handle::integer);
  }

  /** Whether {@code element} is in the set as this node sees it. */
  public boolean contains(String element) {
    return sync(new Command.SetContains(key, Bytes.utf8(element)), r -> integer(r) == 1);
  }

  public CompletableFuture<Boolean> containsAsync(String element) {
    return async(new Command.SetContains(key, Bytes.utf8(element)), r -> integer(r) == 1);
  }

  /** The elements, in the order of their UTF-8 bytes. */
  public Set<String> members() {
    return sync(new Command.SetMembers(key), MeldSet::strings);
  }

  public CompletableFuture<Set<String>> membersAsync() {
    return async(new Command.SetMembers(key), MeldSet::strings);
  }

  /** The number of elements. */
  public long size() {
    return sync(new Command.SetSize(key), Handle::integer);
  }

  public CompletableFuture<Long> sizeAsync() {
    return async(new Command.SetSize(key), Handle::integer);
  }

  private static List<Bytes> utf8(String... elements) {
    if (elements.length == 0) {
      throw new IllegalArgumentException("elements: 0 (expected: >= 1)");
    }
    List<Bytes> out = new ArrayList<>(elements.length);
    for (String e : elements) {
      out.add(Bytes.utf8(e));
    }
    return out;
  }

  private static Set<String> strings(Reply reply) {
    if (!(reply instanceof Reply.Elements elements)) {
      throw unexpected(reply);
    }
    Set<String> out = new LinkedHashSet<>();
    for (Bytes b : elements.elements()) {
      out.add(text(b));
    }
    return Collections.unmodifiableSet(out);
  }
}
