package dev.meld.chaos.history;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One line of a history: an immutable op in Jepsen's model.
 *
 * <p>{@code index} orders ops in the history, {@code time} is nanoseconds since the start of the
 * run, {@code process} is a {@link Long} for a client or a {@link String} (normally {@code
 * "nemesis"}) for anything else, {@code f} names the function ({@code add}, {@code read}, {@code
 * start-partition}, ...), and {@code value} is any canonical JSON value (see {@link Values}).
 * Further keys of the JSON object (an {@code error}, a {@code node}, Maelstrom's {@code final?})
 * are kept in {@code extras}.
 */
public record Op(
    long index,
    long time,
    OpType type,
    Object process,
    String f,
    Object value,
    Map<String, Object> extras) {

  /** The process name used for faults. */
  public static final String NEMESIS = "nemesis";

  /** The keys an op always has; an extra may not use them. */
  public static final Set<String> FIELDS = Set.of("index", "time", "type", "process", "f", "value");

  /** Validates and canonicalizes every component. */
  public Op {
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    if (time < 0) {
      throw new IllegalArgumentException("time: " + time + " (expected: >= 0)");
    }
    Objects.requireNonNull(type, "type");
    process = checkProcess(process);
    if (f == null || f.isEmpty()) {
      throw new IllegalArgumentException("f: " + f + " (expected: a non-empty string)");
    }
    value = Values.canonical(value);
    extras = checkExtras(extras);
  }

  /** An op without extras. */
  public Op(long index, long time, OpType type, Object process, String f, Object value) {
    this(index, time, type, process, f, value, Map.of());
  }

  public boolean isInvoke() {
    return type == OpType.INVOKE;
  }

  public boolean isOk() {
    return type == OpType.OK;
  }

  public boolean isFail() {
    return type == OpType.FAIL;
  }

  public boolean isInfo() {
    return type == OpType.INFO;
  }

  /** True for client ops, whose process is an integer. */
  public boolean isClient() {
    return process instanceof Long;
  }

  /** Returns the extra named {@code key}, or null. */
  public Object extra(String key) {
    return extras.get(key);
  }

  /** This op with another value (used to unwrap {@code [k, v]} tuples). */
  public Op withValue(Object newValue) {
    return new Op(index, time, type, process, f, newValue, extras);
  }

  /** The JSON object form, fields in history order, extras last. */
  @JsonValue
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", index);
    m.put("time", time);
    m.put("type", type.json());
    m.put("process", process);
    m.put("f", f);
    m.put("value", value);
    m.putAll(extras);
    return m;
  }

  /** One line of JSON, without the line break. */
  public String toJsonLine() {
    return OpJson.render(toMap());
  }

  @Override
  public String toString() {
    return toJsonLine();
  }

  private static Object checkProcess(Object process) {
    Object p = Values.canonical(process);
    if (p instanceof Long) {
      if ((Long) p < 0) {
        throw new IllegalArgumentException("process: " + p + " (expected: >= 0)");
      }
      return p;
    }
    if (p instanceof String && !((String) p).isEmpty()) {
      return p;
    }
    throw new IllegalArgumentException(
        "process: "
            + Values.render(p)
            + " (expected: an integer for a client or a name such as \"nemesis\")");
  }

  private static Map<String, Object> checkExtras(Map<String, Object> extras) {
    if (extras == null || extras.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : extras.entrySet()) {
      if (FIELDS.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "extra: \"" + e.getKey() + "\" (expected: a key other than " + FIELDS + ")");
      }
      copy.put(e.getKey(), Values.canonical(e.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }
}
