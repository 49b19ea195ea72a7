package dev.meld.node.command;

import dev.meld.crdt.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * A client command, as the RESP layer decodes it and {@code Replica.execute} runs it. Keys, set
 * elements and register values are {@link Bytes}. Each key holds one type (counter, set or
 * register) from its first write on; a command for another type gets {@code WRONGTYPE}.
 *
 * <p>Sizes are not checked here but by the replica, which answers {@link Reply.Code#TOO_LARGE}
 * against its configured limits. Constructors only reject what can never be a command (nulls, an
 * empty element list).
 */
public sealed interface Command {

  /** Whether this command may change state (refused with READONLY while the node drains). */
  default boolean isWrite() {
    return this instanceof Write;
  }

  /** A short name for metrics: the record's simple name. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** A command about one key: every command but {@link KeyCount}. */
  sealed interface Keyed extends Command {
    /** The key the command reads or writes. */
    Bytes key();
  }

  /** A command that may change its key's record. */
  sealed interface Write extends Keyed {}

  /** A command about one key that only reads. */
  sealed interface Read extends Keyed {}

  // ----------------------------------------------------------------- counters (PN-counter)

  /** Adds {@code amount} (any sign; 0 reads) to a counter; replies the new value. */
  record Increment(Bytes key, long amount) implements Write {
    public Increment {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Subtracts {@code amount} (any sign; 0 reads) from a counter; replies the new value. */
  record Decrement(Bytes key, long amount) implements Write {
    public Decrement {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The counter's value, 0 if absent. */
  record CounterGet(Bytes key) implements Read {
    public CounterGet {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Observed reset: cancels every increment and decrement this node has seen; concurrent ones not
   * yet seen survive. Replies OK.
   */
  record CounterReset(Bytes key) implements Write {
    public CounterReset {
      Objects.requireNonNull(key, "key");
    }
  }

  // ----------------------------------------------------------------- sets (add-wins OR-set)

  /** Adds elements; replies how many were absent before. */
  record SetAdd(Bytes key, List<Bytes> elements) implements Write {
    public SetAdd {
      Objects.requireNonNull(key, "key");
      elements = nonEmpty(elements);
    }

    public SetAdd(Bytes key, Bytes... elements) {
      this(key, List.of(elements));
    }
  }

  /** Removes the observed adds of elements; replies how many were present. */
  record SetRemove(Bytes key, List<Bytes> elements) implements Write {
    public SetRemove {
      Objects.requireNonNull(key, "key");
      elements = nonEmpty(elements);
    }

    public SetRemove(Bytes key, Bytes... elements) {
      this(key, List.of(elements));
    }
  }

  /**
   * The elements, in unsigned byte order. With {@code streamed}, a set of more than {@link
   * #STREAM_ABOVE} members answers a {@link Reply.Stream} instead, in the order of the members'
   * 63-bit hashes (as {@code SSCAN}), which the caller reads as it writes and then closes.
   */
  record SetMembers(Bytes key, boolean streamed) implements Read {
    /** The largest set answered whole when a stream may be answered. */
    public static final int STREAM_ABOVE = 4_096;

    public SetMembers {
      Objects.requireNonNull(key, "key");
    }

    /** The whole list, however large. */
    public SetMembers(Bytes key) {
      this(key, false);
    }
  }

  /** 1 if {@code element} is present, else 0. */
  record SetContains(Bytes key, Bytes element) implements Read {
    public SetContains {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(element, "element");
    }
  }

  /** For each of {@code elements}, in order, 1 if present, else 0. */
  record SetContainsEach(Bytes key, List<Bytes> elements) implements Read {
    public SetContainsEach {
      Objects.requireNonNull(key, "key");
      elements = nonEmpty(elements);
    }
  }

  /**
   * One step of an iteration over the members (Redis {@code SSCAN}): from {@code cursor} (0 to
   * start), about {@code count} members examined, those matching {@code match} (a Redis glob
   * pattern; null for every member) returned, with the cursor to continue from (0 when done). A
   * member present for the whole iteration is returned at least once; one added or removed
   * meanwhile may or may not be.
   */
  record SetScan(Bytes key, long cursor, int count, Bytes match) implements Read {
    public SetScan {
      Objects.requireNonNull(key, "key");
      if (count < 1) {
        throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
      }
    }
  }

  /** The number of elements. */
  record SetSize(Bytes key) implements Read {
    public SetSize {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Removes every element observed here; replies how many there were. */
  record SetClear(Bytes key) implements Write {
    public SetClear {
      Objects.requireNonNull(key, "key");
    }
  }

  // ----------------------------------------------------------------- registers (LWW)

  /** Sets the register, stamped by the node's hybrid logical clock; replies OK. */
  record RegisterSet(Bytes key, Bytes value) implements Write {
    public RegisterSet {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** The register's value, or nil. */
  record RegisterGet(Bytes key) implements Read {
    public RegisterGet {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Writes a stamped tombstone if the register holds a value; replies 1 if it did, else 0. */
  record RegisterDelete(Bytes key) implements Write {
    public RegisterDelete {
      Objects.requireNonNull(key, "key");
    }
  }

  // ----------------------------------------------------------------- any type

  /** {@code counter}, {@code set}, {@code register}, or {@code none} if the key does not exist. */
  record TypeOf(Bytes key) implements Read {
    public TypeOf {
      Objects.requireNonNull(key, "key");
    }
  }

  /** 1 if the key exists (holds a live value), else 0. */
  record Exists(Bytes key) implements Read {
    public Exists {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The type's observed removal (counter reset, set clear, register delete); replies 1 if the key
   * existed, else 0. The key keeps its type (see {@code node/README.md}).
   */
  record Delete(Bytes key) implements Write {
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  /** How many client keys exist. */
  record KeyCount() implements Command {}

  private static List<Bytes> nonEmpty(List<Bytes> elements) {
    List<Bytes> copy = List.copyOf(elements);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("elements: 0 (expected: >= 1)");
    }
    return copy;
  }
}
