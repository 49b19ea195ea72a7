package dev.meld.chaos.proxy;

import java.util.List;
import java.util.Map;

/**
 * The toxic types this proxy implements, with their attribute names as Toxiproxy spells them, the
 * range each attribute accepts, and the stage that applies the toxic to one connection.
 */
enum ToxicType {
  LATENCY("latency", List.of("latency", "jitter")),
  BANDWIDTH("bandwidth", List.of("rate")),
  SLOW_CLOSE("slow_close", List.of("delay")),
  TIMEOUT("timeout", List.of("timeout")),
  RESET_PEER("reset_peer", List.of("timeout")),
  SLICER("slicer", List.of("average_size", "size_variation", "delay")),
  LIMIT_DATA("limit_data", List.of("bytes"));

  /** Longest time attribute in milliseconds (or microseconds for the slicer's delay): ~24 days. */
  static final long MAX_TIME = Integer.MAX_VALUE;

  /** Highest bandwidth rate in KB/s: far above anything loopback carries. */
  static final long MAX_RATE = 1_000_000_000L;

  private final String wireName;
  private final List<String> attributes;

  ToxicType(String wireName, List<String> attributes) {
    this.wireName = wireName;
    this.attributes = attributes;
  }

  String wireName() {
    return wireName;
  }

  /** Attribute names in the order the API lists them; all default to 0. */
  List<String> attributes() {
    return attributes;
  }

  static ToxicType fromWire(String name) {
    for (ToxicType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new ApiException(400, "invalid toxic type");
  }

  /** The largest value {@code attribute} accepts. */
  long max(String attribute) {
    return switch (attribute) {
      case "rate" -> MAX_RATE;
      case "bytes" -> Long.MAX_VALUE;
      default -> MAX_TIME;
    };
  }

  /**
   * Checks a complete attribute map (every attribute present) and throws the API's 400 if a value
   * is out of range.
   */
  void validate(Map<String, Long> values) {
    for (String name : attributes) {
      long value = values.get(name);
      if (value < 0 || value > max(name)) {
        throw ApiException.badRequest(
            wireName + "." + name + ": " + value + " (expected: 0.." + max(name) + ")");
      }
    }
    if (this == SLICER) {
      long average = values.get("average_size");
      long variation = values.get("size_variation");
      if (average < 1 || variation >= average) {
        throw ApiException.badRequest(
            "slicer.average_size: "
                + average
                + ", slicer.size_variation: "
                + variation
                + " (expected: average_size >= 1 and size_variation < average_size)");
      }
    }
  }

  /**
   * The stage applying this toxic (already validated) to one direction of one connection; {@code
   * previous} is the stage it replaces on an update, or null.
   */
  Stage newStage(Map<String, Long> values, Pipe pipe, Stage previous) {
    return switch (this) {
      case LATENCY -> new LatencyStage(pipe, values.get("latency"), values.get("jitter"));
      case BANDWIDTH -> new BandwidthStage(pipe, values.get("rate"));
      case SLOW_CLOSE -> new SlowCloseStage(pipe, values.get("delay"));
      case TIMEOUT -> new TimeoutStage(pipe, values.get("timeout"));
      case RESET_PEER -> new ResetPeerStage(pipe, values.get("timeout"));
      case SLICER ->
          new SlicerStage(
              pipe,
              Math.toIntExact(values.get("average_size")),
              Math.toIntExact(values.get("size_variation")),
              values.get("delay"));
      case LIMIT_DATA -> new LimitDataStage(pipe, values.get("bytes"), previous);
    };
  }
}
