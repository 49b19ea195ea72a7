package dev.meld.chaos.maelstrom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Maelstrom's workloads as the bench drives them (workloads.md): the requests a client sends, the
 * ops they become in the history, and the checkers that judge it.
 *
 * <ul>
 *   <li>{@code g-counter}: {@code add} of a delta in 0..4 ({@code {"type":"add","delta":3}}),
 *       {@code read} of {@code value}; judged by {@code pn-counter-final} (Maelstrom's own check).
 *   <li>{@code pn-counter}: the same with deltas in -4..4.
 *   <li>{@code g-set}: {@code add} of a fresh integer {@code element}, {@code read} of the {@code
 *       value} array; judged by {@code set} and {@code set-full}.
 *   <li>{@code broadcast}: a {@code topology} to every node first (a ring of neighbours), then
 *       {@code broadcast} of a fresh integer {@code message}, {@code read} of {@code messages};
 *       judged as a set: each broadcast is an add of its message.
 * </ul>
 */
enum MaelstromWorkload {
  G_COUNTER("g-counter", "add", "value", 0),
  PN_COUNTER("pn-counter", "add", "value", -4),
  G_SET("g-set", "add", "value", 0),
  BROADCAST("broadcast", "broadcast", "messages", 0);

  final String name;
  /** The history's f for writes (Maelstrom's own op names). */
  final String writeF;
  /** The field of {@code read_ok} that holds what was read. */
  final String readField;
  private final int minDelta;

  MaelstromWorkload(String name, String writeF, String readField, int minDelta) {
    this.name = name;
    this.writeF = writeF;
    this.readField = readField;
    this.minDelta = minDelta;
  }

  static MaelstromWorkload named(String name) {
    for (MaelstromWorkload w : values()) {
      if (w.name.equals(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "workload: \"" + name + "\" (expected: g-counter, pn-counter, g-set or broadcast)");
  }

  boolean isCounter() {
    return this == G_COUNTER || this == PN_COUNTER;
  }

  /** The value of the next write: a delta, or a fresh element ({@code unique} counts up). */
  long nextWriteValue(Random random, long unique) {
    return isCounter() ? minDelta + random.nextInt(5 - minDelta) : unique;
  }

  /** The request body for a write of {@code value}. */
  ObjectNode writeBody(ObjectMapper json, long value) {
    ObjectNode body = json.createObjectNode().put("type", writeF);
    switch (this) {
      case G_COUNTER:
      case PN_COUNTER:
        return body.put("delta", value);
      case G_SET:
        return body.put("element", value);
      default:
        return body.put("message", value);
    }
  }

  /**
   * What a {@code read_ok} body read, as a history value: a counter's integer, a set's elements
   * sorted.
   *
   * @throws IllegalArgumentException if the body lacks the field or it has the wrong shape
   */
  Object readValue(ObjectMapper json, JsonNode body) {
    JsonNode v = body.get(readField);
    if (isCounter()) {
      if (v == null || !v.isIntegralNumber()) {
        throw new IllegalArgumentException(
            "read_ok " + readField + ": " + v + " (expected: an integer)");
      }
      return v.asLong();
    }
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException("read_ok " + readField + ": " + v + " (expected: an array)");
    }
    List<Object> elements = new ArrayList<>();
    v.forEach(e -> elements.add(json.convertValue(e, Object.class)));
    return elements;
  }

  /** A read value in a form where equal states compare equal (a set's order does not matter). */
  Object comparable(Object readValue) {
    if (readValue instanceof List<?> list) {
      TreeSet<String> s = new TreeSet<>();
      list.forEach(e -> s.add(String.valueOf(e)));
      return s;
    }
    return readValue;
  }

  /** The checkers, by name, that judge this workload's history. */
  List<String> checkerNames() {
    return isCounter() ? List.of("pn-counter-final") : List.of("set", "set-full");
  }

  /** The checker of this workload's history (broadcasts read as adds of their messages). */
  Checker checker() {
    Checker inner = Checkers.of(checkerNames());
    if (this != BROADCAST) {
      return inner;
    }
    return history -> {
      List<Op> ops = new ArrayList<>(history.size());
      for (Op op : history) {
        ops.add(
            op.f().equals("broadcast")
                ? new Op(op.index(), op.time(), op.type(), op.process(), "add", op.value(), op.extras())
                : op);
      }
      return inner.check(History.of(ops));
    };
  }
}
