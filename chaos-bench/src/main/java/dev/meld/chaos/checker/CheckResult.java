package dev.meld.chaos.checker;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a checker found: a {@link Validity} and named details, written as one JSON object with
 * {@code "valid"} first and the details after it in the order they were put, under Jepsen's key
 * names ({@code "reads"}, {@code "lost-count"}, ...). Details are JSON-able values: numbers,
 * strings, lists, maps, ops and nested results.
 */
public final class CheckResult {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Validity valid;
  private final Map<String, Object> details;

  private CheckResult(Validity valid, Map<String, Object> details) {
    this.valid = valid;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A result with these details, kept in the map's iteration order. */
  public static CheckResult of(Validity valid, Map<String, Object> details) {
    if (details.containsKey("valid")) {
      throw new IllegalArgumentException("details: has \"valid\" (expected: given separately)");
    }
    return new CheckResult(valid, details);
  }

  public Validity valid() {
    return valid;
  }

  /** The detail named {@code key}, or null. */
  public Object get(String key) {
    return details.get(key);
  }

  public Map<String, Object> details() {
    return details;
  }

  /** The JSON object form: {@code "valid"} first, then the details. */
  @JsonValue
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", valid);
    m.putAll(details);
    return m;
  }

  /** Pretty-printed JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result detail is not JSON-able: " + details, e);
    }
  }

  @Override
  public String toString() {
    return toJson();
  }
}
