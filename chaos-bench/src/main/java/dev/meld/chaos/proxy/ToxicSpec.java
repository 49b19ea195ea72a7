package dev.meld.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One toxic as configured through the API: its unique name, type, the stream it acts on, the
 * probability that it applies to a given connection, and its attributes (all of the type's
 * attributes, validated). Immutable; an update makes a new spec.
 *
 * @param toxicity probability in [0, 1] that the toxic is active on a given connection, rolled when
 *     the toxic reaches the connection (and again when the toxic is updated)
 */
record ToxicSpec(
    String name, ToxicType type, ToxicStream stream, float toxicity, Map<String, Long> attributes) {

  ToxicSpec {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    type.validate(attributes);
  }

  /**
   * A new toxic from a {@code POST /proxies/{proxy}/toxics} body, with Toxiproxy's defaults: stream
   * {@code downstream}, toxicity 1, name {@code <type>_<stream>}, attributes 0.
   */
  static ToxicSpec fromJson(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest(Json.describe(body) + " (expected: a JSON object)");
    }
    ToxicStream stream = ToxicStream.fromWire(Json.string(body, "stream", "downstream"));
    String typeName = Json.string(body, "type", "");
    String name = Json.string(body, "name", "");
    ToxicType type = ToxicType.fromWire(typeName);
    if (name.isEmpty()) {
      name = typeName + "_" + stream.wireName();
    }
    float toxicity = Json.probability(body, "toxicity", 1f);
    Map<String, Long> values = new LinkedHashMap<>();
    type.attributes().forEach(attribute -> values.put(attribute, 0L));
    return new ToxicSpec(
        name, type, stream, toxicity, mergeAttributes(type, values, body.get("attributes")));
  }

  /**
   * This toxic changed by a {@code POST /proxies/{proxy}/toxics/{toxic}} body: {@code toxicity} and
   * any attributes given replace the current ones; name, type and stream cannot change.
   */
  ToxicSpec updatedBy(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest(Json.describe(body) + " (expected: a JSON object)");
    }
    float newToxicity = Json.probability(body, "toxicity", toxicity);
    Map<String, Long> values =
        mergeAttributes(type, new LinkedHashMap<>(attributes), body.get("attributes"));
    return new ToxicSpec(name, type, stream, newToxicity, values);
  }

  private static Map<String, Long> mergeAttributes(
      ToxicType type, Map<String, Long> values, JsonNode given) {
    if (given == null || given.isNull()) {
      return values;
    }
    if (!given.isObject()) {
      throw ApiException.badRequest(
          "attributes: " + Json.describe(given) + " (expected: a JSON object)");
    }
    for (Map.Entry<String, JsonNode> field : given.properties()) {
      if (!values.containsKey(field.getKey())) {
        throw ApiException.badRequest(
            "attributes."
                + field.getKey()
                + ": unknown for "
                + type.wireName()
                + " (expected one of: "
                + String.join(", ", type.attributes())
                + ")");
      }
      values.put(field.getKey(), Json.integer("attributes." + field.getKey(), field.getValue()));
    }
    return values;
  }

  /**
   * The stage for one connection: the toxic itself with probability {@link #toxicity}, otherwise a
   * pass-through.
   */
  Stage newStage(Pipe pipe, Stage previous) {
    boolean active = pipe.random().nextDouble() < toxicity;
    return active ? type.newStage(attributes, pipe, previous) : new PassStage(pipe);
  }

  ObjectNode toJson() {
    ObjectNode json = Json.object();
    ObjectNode values = json.putObject("attributes");
    attributes.forEach(values::put);
    json.put("name", name);
    json.put("type", type.wireName());
    json.put("stream", stream.wireName());
    json.put("toxicity", toxicity);
    return json;
  }
}
