package dev.meld.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Compares a result with the JSON that Jepsen's or Maelstrom's test expects. */
final class ResultAssert {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultAssert() {}

  static void assertResult(CheckResult actual, String expectedJson) {
    try {
      JsonNode expected = MAPPER.readTree(expectedJson);
      JsonNode got = MAPPER.readTree(actual.toJson());
      assertThat(got).as("result").isEqualTo(expected);
    } catch (JsonProcessingException e) {
      throw new AssertionError("bad JSON in test: " + expectedJson, e);
    }
  }
}
