package dev.meld.node.command;

import dev.meld.crdt.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link Command}. A write's reply carries {@link #seq()}: the local replication
 * sequence number it committed under (the log head after it, for a write that changed nothing).
 * Redis {@code WAIT} counts the peers whose acknowledged cursor has reached it. Reads and errors
 * carry 0.
 */
public sealed interface Reply {

  /** The local log sequence number this write committed under; 0 for reads and errors. */
  default long seq() {
    return 0;
  }

  /** Success without a value (a register write). */
  record Ok(long seq) implements Reply {}

  /** An integer: a counter value, a count, a 0/1 answer. */
  record Int(long value, long seq) implements Reply {
    /** An integer answer to a read. */
    public static Int of(long value) {
      return new Int(value, 0);
    }
  }

  /** A byte string (a register's value). */
  record Bulk(Bytes value) implements Reply {
    public Bulk {
      Objects.requireNonNull(value, "value");
    }
  }

  /** No value (an absent or deleted register). */
  record Nil() implements Reply {}

  /** A list of byte strings (set members, in unsigned byte order). */
  record Elements(List<Bytes> elements) implements Reply {
    public Elements {
      elements = List.copyOf(elements);
    }
  }

  /**
   * Byte strings too many to build whole (the members of a large set), read as they are written.
   * Whoever takes this reply closes the stream.
   */
  record Stream(ElementStream elements) implements Reply {}

  /** Integers, one per asked element (a 0/1 answer each). */
  record Ints(List<Long> values) implements Reply {
    public Ints {
      values = List.copyOf(values);
    }
  }

  /**
   * One step of a scan: the cursor to continue from (0: done; an unsigned 64-bit number) and the
   * members of this step, in no promised order.
   */
  record Scan(long cursor, List<Bytes> elements) implements Reply {
    public Scan {
      elements = List.copyOf(elements);
    }
  }

  /** A key's type: {@code counter}, {@code set}, {@code register} or {@code none}. */
  record TypeName(String name) implements Reply {
    public TypeName {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A refused command; nothing changed. */
  record Error(Code code, String message) implements Reply {
    public Error {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Why a command was refused; the RESP layer maps each to a Redis error prefix. */
  enum Code {
    /** The key holds another type. */
    WRONGTYPE,
    /** A counter would leave the range of a 64-bit signed integer. */
    OVERFLOW,
    /** The node is draining (leaving or stopping): writes are refused. */
    READONLY,
    /** Reserved for reads that must wait for readiness; this replica serves reads at once. */
    NOT_READY,
    /** A key, element, value or resulting record exceeds the configured limits. */
    TOO_LARGE,
    /** The key is reserved for the node's internal records. */
    RESERVED,
    /**
     * The key holds a register value stamped beyond this node's clock plus the drift bound (stored
     * before such stamps were refused): a write now would lose to it, so it is refused, not lost.
     */
    SHADOWED,
    /** A bounded resource (views of the store held by replies being sent) is all in use. */
    BUSY
  }
}
