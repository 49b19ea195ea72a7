package dev.meld.node.embed;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.GlobPattern;
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

  /** For each of {@code elements}, in order, whether it is in the set as this node sees it. */
  public List<Boolean> containsEach(String... elements) {
    return sync(new Command.SetContainsEach(key, utf8(elements)), MeldSet::booleans);
  }

  public CompletableFuture<List<Boolean>> containsEachAsync(String... elements) {
    return async(new Command.SetContainsEach(key, utf8(elements)), MeldSet::booleans);
  }

  /**
   * One step of an iteration over the elements (Redis' {@code SSCAN}), for sets too large to read
   * at once: start from cursor 0 and pass each page's {@link Page#cursor()} back until it is 0.
   * Each step examines about {@code count} elements, in the order of their 63-bit hashes, and
   * returns those matching {@code match}. An element present for the whole iteration is returned at
   * least once (twice only if another shares its 63-bit hash); one added or removed meanwhile may
   * or may not be.
   *
   * @param cursor 0 to start, else a cursor a page returned (an unsigned 64-bit number)
   * @param count at least 1
   * @param match a Redis glob pattern (see {@link GlobPattern}), at most {@link
   *     GlobPattern#MAX_PATTERN_BYTES} bytes of UTF-8; null for every element
   */
  public Page scan(long cursor, int count, String match) {
    return sync(scanCommand(cursor, count, match), MeldSet::page);
  }

  public CompletableFuture<Page> scanAsync(long cursor, int count, String match) {
    return async(scanCommand(cursor, count, match), MeldSet::page);
  }

  /**
   * A step of {@link #scan}: the elements it found, and the cursor to continue from (0 when the
   * iteration is over).
   */
  public record Page(long cursor, List<String> elements) {
    public Page {
      elements = List.copyOf(elements);
    }

    /** Whether the iteration is over. */
    public boolean isLast() {
      return cursor == 0;
    }
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

  private Command.SetScan scanCommand(long cursor, int count, String match) {
    Bytes pattern = match == null ? null : Bytes.utf8(match);
    if (pattern != null && pattern.length() > GlobPattern.MAX_PATTERN_BYTES) {
      throw new IllegalArgumentException(
          "match: "
              + pattern.length()
              + " bytes (expected: <= "
              + GlobPattern.MAX_PATTERN_BYTES
              + ")");
    }
    return new Command.SetScan(key, cursor, count, pattern);
  }

  private static List<Boolean> booleans(Reply reply) {
    if (!(reply instanceof Reply.Ints ints)) {
      throw unexpected(reply);
    }
    List<Boolean> out = new ArrayList<>(ints.values().size());
    for (long v : ints.values()) {
      out.add(v == 1);
    }
    return Collections.unmodifiableList(out);
  }

  private static Page page(Reply reply) {
    if (!(reply instanceof Reply.Scan scan)) {
      throw unexpected(reply);
    }
    List<String> out = new ArrayList<>(scan.elements().size());
    for (Bytes b : scan.elements()) {
      out.add(text(b));
    }
    return new Page(scan.cursor(), out);
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
