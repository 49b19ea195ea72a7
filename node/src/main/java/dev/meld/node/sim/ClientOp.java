package dev.meld.node.sim;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a simulated client asks of a node: a counter delta or read, a set add, remove or read. Each
 * op knows its {@link Command}, its history function and value (see {@link SimOp}), and how to read
 * the node's {@link Reply}. Keys and elements are UTF-8 text.
 */
public sealed interface ClientOp {

  /** The key the op is on. */
  String key();

  /** The history function: {@code incr}, {@code counter-read}, {@code add}, ... */
  String f();

  /** The value recorded with the invocation (null for reads). */
  Object invokeValue();

  /** The command the node executes. */
  Command command();

  /**
   * The value recorded with an {@code ok} completion, from a successful reply.
   *
   * @throws IllegalStateException if the reply has the wrong shape for this op (a replica bug)
   */
  Object okValue(Reply reply);

  /** Adds {@code delta} (negative: subtracts) to the counter at {@code key}. */
  record CounterAdd(String key, long delta) implements ClientOp {
    public CounterAdd {
      Objects.requireNonNull(key, "key");
      if (delta == 0 || delta == Long.MIN_VALUE) {
        throw new IllegalArgumentException(
            "delta: " + delta + " (expected: non-zero and not Long.MIN_VALUE)");
      }
    }

    @Override
    public String f() {
      return "incr";
    }

    @Override
    public Object invokeValue() {
      return delta;
    }

    @Override
    public Command command() {
      return delta > 0
          ? new Command.Increment(bytes(key), delta)
          : new Command.Decrement(bytes(key), -delta);
    }

    @Override
    public Object okValue(Reply reply) {
      expect(reply, Reply.Int.class, this);
      return delta;
    }
  }

  /** Reads the counter at {@code key}. */
  record CounterRead(String key) implements ClientOp {
    public CounterRead {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String f() {
      return "counter-read";
    }

    @Override
    public Object invokeValue() {
      return null;
    }

    @Override
    public Command command() {
      return new Command.CounterGet(bytes(key));
    }

    @Override
    public Object okValue(Reply reply) {
      return expect(reply, Reply.Int.class, this).value();
    }
  }

  /** Adds {@code element} to the set at {@code key}. */
  record SetAdd(String key, String element) implements ClientOp {
    public SetAdd {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(element, "element");
    }

    @Override
    public String f() {
      return "add";
    }

    @Override
    public Object invokeValue() {
      return element;
    }

    @Override
    public Command command() {
      return new Command.SetAdd(bytes(key), List.of(bytes(element)));
    }

    @Override
    public Object okValue(Reply reply) {
      expect(reply, Reply.Int.class, this);
      return element;
    }
  }

  /** Removes {@code element} from the set at {@code key} (the adds this node has observed). */
  record SetRemove(String key, String element) implements ClientOp {
    public SetRemove {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(element, "element");
    }

    @Override
    public String f() {
      return "remove";
    }

    @Override
    public Object invokeValue() {
      return element;
    }

    @Override
    public Command command() {
      return new Command.SetRemove(bytes(key), List.of(bytes(element)));
    }

    /**
     * A map {@code {element: e, present: bool}}: whether the node held the element when it removed
     * it, which proves the remove observed an add of it.
     */
    @Override
    public Object okValue(Reply reply) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("element", element);
      value.put("present", expect(reply, Reply.Int.class, this).value() > 0);
      return Collections.unmodifiableMap(value);
    }
  }

  /** Reads the members of the set at {@code key}. */
  record SetRead(String key) implements ClientOp {
    public SetRead {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String f() {
      return "set-read";
    }

    @Override
    public Object invokeValue() {
      return null;
    }

    @Override
    public Command command() {
      return new Command.SetMembers(bytes(key));
    }

    @Override
    public Object okValue(Reply reply) {
      List<String> elements = new ArrayList<>();
      for (Bytes element : expect(reply, Reply.Elements.class, this).elements()) {
        elements.add(new String(element.toByteArray(), StandardCharsets.UTF_8));
      }
      return List.copyOf(elements);
    }
  }

  private static Bytes bytes(String text) {
    return Bytes.utf8(text);
  }

  private static <R extends Reply> R expect(Reply reply, Class<R> type, ClientOp op) {
    if (!type.isInstance(reply)) {
      throw new IllegalStateException(
          "reply to " + op + ": " + reply + " (expected: " + type.getSimpleName() + ")");
    }
    return type.cast(reply);
  }
}
