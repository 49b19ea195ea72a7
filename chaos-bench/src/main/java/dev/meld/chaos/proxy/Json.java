package dev.meld.chaos.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reading and writing the API's JSON: one strict parser, typed field readers whose errors say the
 * field, the value and the expectation, and the node factory the encoders use.
 */
final class Json {

  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  /** Parses a request body; malformed or empty JSON is the API's 400. */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("EOF (expected: a JSON document)");
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /** Parses a request body that must be one JSON object. */
  static ObjectNode parseObject(byte[] body) {
    JsonNode node = parse(body);
    if (!node.isObject()) {
      throw ApiException.badRequest(describe(node) + " (expected: a JSON object)");
    }
    return (ObjectNode) node;
  }

  static String string(JsonNode object, String field, String fallback) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest(field + ": " + describe(value) + " (expected: a string)");
    }
    return value.textValue();
  }

  static boolean bool(JsonNode object, String field, boolean fallback) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiException.badRequest(field + ": " + describe(value) + " (expected: true or false)");
    }
    return value.booleanValue();
  }

  /** A number in [0, 1], as toxicity is. */
  static float probability(JsonNode object, String field, float fallback) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1) {
      throw ApiException.badRequest(
          field + ": " + describe(value) + " (expected: a number in 0..1)");
    }
    return value.floatValue();
  }

  /** A whole number that fits a long, as every toxic attribute is. */
  static long integer(String field, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ApiException.badRequest(field + ": " + describe(value) + " (expected: an integer)");
    }
    return value.longValue();
  }

  /** The value as it appeared in the request, shortened for an error message. */
  static String describe(JsonNode value) {
    String text = value.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + node.getNodeType(), e);
    }
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }
}
