package dev.meld.node.resp;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.ElementStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A reply as the command families build it: a small immutable tree with no buffers in it, so a
 * reply can be made on any thread and dropped without releasing anything. The RESP3-only shapes
 * (map, set, verbatim string) become their RESP2 forms through {@link #forProtocol(int)} before
 * encoding, as Redis does for a connection that has not said {@code HELLO 3}.
 */
sealed interface RespValue {

  /** This value as a connection speaking {@code protocol} (2 or 3) receives it. */
  default RespValue forProtocol(int protocol) {
    return this;
  }

  /** {@code +text}: a status line; CR and LF become spaces, as Redis does. */
  record Simple(String text) implements RespValue {
    static final Simple OK = new Simple("OK");

    public Simple {
      text = oneLine(text);
    }
  }

  /**
   * {@code -message}: an error line starting with its code ({@code ERR}, {@code WRONGTYPE}); CR and
   * LF become spaces.
   */
  record Error(String message) implements RespValue {
    public Error {
      message = oneLine(message);
    }
  }

  /** {@code :n}. */
  record Int(long value) implements RespValue {}

  /** {@code $n}: a binary-safe string. */
  record Bulk(Bytes value) implements RespValue {
    public Bulk {
      Objects.requireNonNull(value, "value");
    }

    static Bulk of(String text) {
      return new Bulk(Bytes.utf8(text));
    }
  }

  /** No value: RESP3 {@code _}; for RESP2 it becomes {@link NullBulk}. */
  record Null() implements RespValue {
    static final Null INSTANCE = new Null();

    @Override
    public RespValue forProtocol(int protocol) {
      return protocol >= 3 ? this : NullBulk.INSTANCE;
    }
  }

  /** RESP2's no value: {@code $-1}. */
  record NullBulk() implements RespValue {
    static final NullBulk INSTANCE = new NullBulk();
  }

  /** {@code *n}. */
  record Array(List<RespValue> items) implements RespValue {
    static final Array EMPTY = new Array(List.of());

    public Array {
      items = List.copyOf(items);
    }

    static Array of(RespValue... items) {
      return new Array(List.of(items));
    }

    @Override
    public RespValue forProtocol(int protocol) {
      return new Array(downgrade(items, protocol));
    }
  }

  /** RESP3 {@code %n}, RESP2 a flat array of keys and values; {@code entries} alternate. */
  record Map(List<RespValue> entries) implements RespValue {
    public Map {
      entries = List.copyOf(entries);
      if (entries.size() % 2 != 0) {
        throw new IllegalArgumentException(
            "map entries: " + entries.size() + " (expected: an even number, keys and values)");
      }
    }

    int size() {
      return entries.size() / 2;
    }

    @Override
    public RespValue forProtocol(int protocol) {
      List<RespValue> items = downgrade(entries, protocol);
      return protocol >= 3 ? new Map(items) : new Array(items);
    }
  }

  /** RESP3 {@code ~n}, RESP2 an array. */
  record Set(List<RespValue> items) implements RespValue {
    public Set {
      items = List.copyOf(items);
    }

    @Override
    public RespValue forProtocol(int protocol) {
      List<RespValue> converted = downgrade(items, protocol);
      return protocol >= 3 ? new Set(converted) : new Array(converted);
    }
  }

  /**
   * Bulk strings read from {@code elements} as they are written, RESP3 {@code ~n} ({@code set}) or
   * {@code *n}: the members of a large set. Never encoded whole: {@link RespConnection} writes it
   * a chunk at a time ({@link StreamedReply}) and closes the stream.
   */
  record Stream(ElementStream elements, boolean set) implements RespValue {
    @Override
    public RespValue forProtocol(int protocol) {
      return protocol >= 3 ? this : new Stream(elements, false);
    }
  }

  /** RESP3 {@code =n} with a three-letter format ({@code txt}), RESP2 a bulk string. */
  record Verbatim(String format, String text) implements RespValue {
    public Verbatim {
      if (format.length() != 3) {
        throw new IllegalArgumentException(
            "verbatim format: '" + format + "' (expected: 3 characters)");
      }
      Objects.requireNonNull(text, "text");
    }

    @Override
    public RespValue forProtocol(int protocol) {
      return protocol >= 3 ? this : Bulk.of(text);
    }
  }

  private static String oneLine(String text) {
    return text.indexOf('\r') < 0 && text.indexOf('\n') < 0
        ? text
        : text.replace('\r', ' ').replace('\n', ' ');
  }

  private static List<RespValue> downgrade(List<RespValue> values, int protocol) {
    List<RespValue> out = new ArrayList<>(values.size());
    for (RespValue v : values) {
      out.add(v.forProtocol(protocol));
    }
    return out;
  }
}
