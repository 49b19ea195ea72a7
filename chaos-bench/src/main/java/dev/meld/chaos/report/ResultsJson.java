package dev.meld.chaos.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@code results.json}: one {@link ScenarioResult} as pretty-printed JSON, keys in
 * a fixed order, Jepsen-style kebab-case names, wall-clock times as ISO-8601 strings. Derived keys
 * ({@code valid}, {@code violations}, quantiles ...) are written for readers and recomputed, not
 * trusted, on reading. The schema is in the chaos-bench README.
 */
public final class ResultsJson {

  /** The name of the file in each scenario's directory. */
  public static final String FILE = "results.json";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .addModule(
              new SimpleModule("meld-results")
                  .addSerializer(Instant.class, ToStringSerializer.instance)
                  .addDeserializer(Instant.class, new InstantDeserializer())
                  .addDeserializer(CheckResult.class, new CheckResultDeserializer()))
          .build();

  private ResultsJson() {}

  public static String toJson(ScenarioResult result) {
    try {
      return MAPPER.writeValueAsString(result) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "scenario " + result.name() + ": a result is not JSON-able: " + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * Parses {@code results.json} text.
   *
   * @throws IllegalArgumentException naming what is wrong and where
   */
  public static ScenarioResult fromJson(String json) {
    try {
      return MAPPER.readValue(json, ScenarioResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "results: " + e.getOriginalMessage() + " (expected: results.json as documented)", e);
    }
  }

  public static void write(Path file, ScenarioResult result) throws IOException {
    Files.writeString(file, toJson(result), StandardCharsets.UTF_8);
  }

  public static ScenarioResult read(Path file) throws IOException {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getValueAsString();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException | NullPointerException e) {
        throw ctx.weirdStringException(text, Instant.class, "expected: an ISO-8601 instant");
      }
    }
  }

  /** A checker's result: {@code valid} (true, false or "unknown") and its details, in order. */
  private static final class CheckResultDeserializer extends JsonDeserializer<CheckResult> {
    @Override
    public CheckResult deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode node = ctx.readTree(p);
      if (node == null || !node.isObject()) {
        throw ctx.weirdStringException(
            String.valueOf(node), CheckResult.class, "expected: an object with \"valid\"");
      }
      JsonNode valid = node.get("valid");
      Validity validity;
      if (valid != null && valid.isBoolean()) {
        validity = Validity.of(valid.booleanValue());
      } else if (valid != null && "unknown".equals(valid.textValue())) {
        validity = Validity.UNKNOWN;
      } else {
        throw ctx.weirdStringException(
            String.valueOf(valid), CheckResult.class, "valid: expected true, false or \"unknown\"");
      }
      Map<String, Object> details = new LinkedHashMap<>();
      node.properties()
          .forEach(
              e -> {
                if (!e.getKey().equals("valid")) {
                  details.put(e.getKey(), Values.canonical(e.getValue()));
                }
              });
      return CheckResult.of(validity, details);
    }
  }
}
