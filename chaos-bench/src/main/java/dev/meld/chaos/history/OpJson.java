package dev.meld.chaos.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts ops to and from one line of JSON. */
final class OpJson {

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private OpJson() {}

  static String render(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + value, e);
    }
  }

  /**
   * Parses one op. A missing {@code index} or {@code time} takes the given default, so histories
   * written by hand (as in Jepsen's own tests) need neither.
   *
   * @throws IllegalArgumentException naming the field, the value and the expectation
   */
  static Op parse(String line, long defaultIndex, long defaultTime) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("op: " + abbreviate(line) + " (expected: a JSON object)");
    }
    long index = optionalLong(node, "index", defaultIndex);
    long time = optionalLong(node, "time", defaultTime);
    JsonNode type = required(node, "type");
    if (!type.isTextual()) {
      throw new IllegalArgumentException(
          "type: " + type + " (expected: one of \"invoke\", \"ok\", \"fail\", \"info\")");
    }
    JsonNode process = required(node, "process");
    if (!(process.isIntegralNumber() || process.isTextual())) {
      throw new IllegalArgumentException(
          "process: " + process + " (expected: an integer or a string such as \"nemesis\")");
    }
    JsonNode f = required(node, "f");
    if (!f.isTextual()) {
      throw new IllegalArgumentException("f: " + f + " (expected: a string)");
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!Op.FIELDS.contains(e.getKey())) {
        extras.put(e.getKey(), Values.canonical(e.getValue()));
      }
    }
    return new Op(
        index,
        time,
        OpType.parse(type.textValue()),
        Values.canonical(process),
        f.textValue(),
        Values.canonical(node.path("value")),
        extras);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(
          field + ": missing (expected: every op has \"" + field + "\")");
    }
    return v;
  }

  private static long optionalLong(JsonNode node, String field, long dflt) {
    JsonNode v = node.get(field);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: an integer >= 0)");
    }
    return v.longValue();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
