package dev.meld.chaos.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's {@code /health} as the bench reads it. Numbers the node did not report are -1, strings
 * empty; {@link #json()} keeps everything it said.
 *
 * @param node the node's name
 * @param incarnation the incarnation it acts under
 * @param ready whether it has caught up and serves ({@code /ready} is 200)
 * @param draining whether it refuses writes because it drains or leaves
 * @param wallClockMillis the node's physical clock when it answered (what clock faults move)
 * @param hlc its hybrid logical clock's last stamp
 * @param keyCount client keys it holds
 * @param rootDigest its anti-entropy root digest (equal on converged nodes)
 * @param members the member set as it sees it
 * @param json the whole answer
 */
public record NodeHealth(
    String node,
    long incarnation,
    boolean ready,
    boolean draining,
    long wallClockMillis,
    long hlc,
    long keyCount,
    String rootDigest,
    List<Member> members,
    JsonNode json) {

  /**
   * One member as the node sees it.
   *
   * @param name its name
   * @param state {@code SELF}, {@code LIVE} or {@code UNREACHABLE} (as the node says, upper case)
   * @param backlog replication log entries it has not acknowledged to this node, -1 if unknown
   */
  public record Member(String name, String state, long backlog) {

    /** True if the node hears from this member (it is the node itself or a live peer). */
    public boolean live() {
      return state.equals("SELF") || state.equals("LIVE");
    }
  }

  public NodeHealth {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(rootDigest, "rootDigest");
    members = List.copyOf(members);
    Objects.requireNonNull(json, "json");
  }

  /** The member named {@code name}, if the node lists it. */
  public Optional<Member> member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The sum of the members' replication backlogs (unknown ones count 0). */
  public long totalBacklog() {
    return members.stream().mapToLong(m -> Math.max(0, m.backlog())).sum();
  }

  /**
   * Reads a {@code /health} answer.
   *
   * @throws IllegalArgumentException if it is not an object with a string {@code node}
   */
  public static NodeHealth parse(JsonNode json) {
    if (json == null || !json.isObject() || !json.path("node").isTextual()) {
      throw new IllegalArgumentException(
          "health: " + abbreviate(json) + " (expected: a JSON object with a string \"node\")");
    }
    return new NodeHealth(
        json.get("node").asText(),
        number(json, "incarnation"),
        json.path("ready").asBoolean(false),
        draining(json),
        number(json, "wallClockMillis"),
        number(json, "hlc"),
        number(json, "keyCount", "keys"),
        text(json, "rootDigest", "antiEntropyRootDigest", "digest"),
        members(json.path("members")),
        json);
  }

  private static boolean draining(JsonNode json) {
    JsonNode draining = json.path("draining");
    if (draining.isBoolean()) {
      return draining.asBoolean();
    }
    // A drain reported as an object ({"state": "RUNNING", ...}) is draining unless NOT_DRAINING.
    String state = draining.path("state").asText("NOT_DRAINING");
    return !state.equals("NOT_DRAINING");
  }

  private static List<Member> members(JsonNode members) {
    List<Member> list = new ArrayList<>();
    if (members.isArray()) {
      for (JsonNode m : members) {
        list.add(member(text(m, "name", "node"), m));
      }
    } else if (members.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        list.add(member(e.getKey(), e.getValue()));
      }
    }
    return list;
  }

  private static Member member(String name, JsonNode m) {
    JsonNode state = m.isTextual() ? m : m.path("state");
    return new Member(
        name,
        state.asText("UNKNOWN").toUpperCase(java.util.Locale.ROOT),
        number(m, "backlog", "backlogEntries"));
  }

  private static long number(JsonNode json, String... names) {
    for (String name : names) {
      JsonNode value = json.path(name);
      if (value.isNumber()) {
        return value.asLong();
      }
      if (value.isTextual()) {
        try {
          return Long.parseLong(value.asText());
        } catch (NumberFormatException e) {
          // a non-numeric string (an HLC printed as text) is reported as unknown below
        }
      }
    }
    return -1;
  }

  private static String text(JsonNode json, String... names) {
    for (String name : names) {
      JsonNode value = json.path(name);
      if (value.isValueNode() && !value.isNull()) {
        return value.asText();
      }
    }
    return "";
  }

  private static String abbreviate(JsonNode json) {
    String text = String.valueOf(json);
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
