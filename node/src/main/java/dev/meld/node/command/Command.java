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
  boolean isWrite();

  /** A short name for metrics: the record's simple name. */
  default String name() {
    return getClass().getSimpleName();
  }

  // ----------------------------------------------------------------- counters (PN-counter)

  /** Adds {@code amount} (any sign; 0 reads) to a counter; replies the new value. */
  record Increment(Bytes key, long amount) implements Command {
    public Increment {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  /** Subtracts {@code amount} (any sign; 0 reads) from a counter; replies the new value. */
  record Decrement(Bytes key, long amount) implements Command {
    public Decrement {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  /** The counter's value, 0 if absent. */
  record CounterGet(Bytes key) implements Command {
    public CounterGet {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return false;
    }
  }

  /**
   * Observed reset: cancels every increment and decrement this node has seen; concurrent ones not
   * yet seen survive. Replies the value before the reset.
   */
  record CounterReset(Bytes key) implements Command {
    public CounterReset {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  // ----------------------------------------------------------------- sets (add-wins OR-set)

  /** Adds elements; replies how many were absent before. */
  record SetAdd(Bytes key, List<Bytes> elements) implements Command {
    public SetAdd {
      Objects.requireNonNull(key, "key");
      elements = nonEmpty(elements);
    }

    public SetAdd(Bytes key, Bytes... elements) {
      this(key, List.of(elements));
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  /** Removes the observed adds of elements; replies how many were present. */
  record SetRemove(Bytes key, List<Bytes> elements) implements Command {
    public SetRemove {
      Objects.requireNonNull(key, "key");
      elements = nonEmpty(elements);
    }

    public SetRemove(Bytes key, Bytes... elements) {
      this(key, List.of(elements));
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  /** The elements, in unsigned byte order. */
  record SetMembers(Bytes key) implements Command {
    public SetMembers {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return false;
    }
  }

  /** 1 if {@code element} is present, else 0. */
  record SetContains(Bytes key, Bytes element) implements Command {
    public SetContains {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(element, "element");
    }

    @Override
    public boolean isWrite() {
      return false;
    }
  }

  /** The number of elements. */
  record SetSize(Bytes key) implements Command {
    public SetSize {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return false;
    }
  }

  /** Removes every element observed here; replies how many there were. */
  record SetClear(Bytes key) implements Command {
    public SetClear {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  // ----------------------------------------------------------------- registers (LWW)

  /** Sets the register, stamped by the node's hybrid logical clock; replies OK. */
  record RegisterSet(Bytes key, Bytes value) implements Command {
    public RegisterSet {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  /** The register's value, or nil. */
  record RegisterGet(Bytes key) implements Command {
    public RegisterGet {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return false;
    }
  }

  /** Writes a stamped tombstone if the register holds a value; replies 1 if it did, else 0. */
  record RegisterDelete(Bytes key) implements Command {
    public RegisterDelete {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  // ----------------------------------------------------------------- any type

  /** {@code counter}, {@code set}, {@code register}, or {@code none} if the key does not exist. */
  record TypeOf(Bytes key) implements Command {
    public TypeOf {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return false;
    }
  }

  /** 1 if the key exists (holds a live value), else 0. */
  record Exists(Bytes key) implements Command {
    public Exists {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return false;
    }
  }

  /**
   * The type's observed removal (counter reset, set clear, register delete); replies 1 if the key
   * existed, else 0. The key keeps its type (see {@code node/README.md}).
   */
  record Delete(Bytes key) implements Command {
    public Delete {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean isWrite() {
      return true;
    }
  }

  /** How many client keys exist. */
  record KeyCount() implements Command {
    @Override
    public boolean isWrite() {
      return false;
    }
  }

  private static List<Bytes> nonEmpty(List<Bytes> elements) {
    List<Bytes> copy = List.copyOf(elements);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("elements: 0 (expected: >= 1)");
    }
    return copy;
  }
}
