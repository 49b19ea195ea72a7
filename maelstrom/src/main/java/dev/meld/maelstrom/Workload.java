package dev.meld.maelstrom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meld.crdt.Bytes;
import java.util.Optional;

/**
 * The Maelstrom workloads this node serves, each on its own key of the replica. {@code g-counter}
 * and {@code pn-counter} share one (a Meld counter takes both signs); {@code g-set} and {@code
 * broadcast} are grow-only uses of a Meld set, whose elements are the JSON text of what the
 * client sent.
 */
enum Workload {
  /** {@code g-counter} and {@code pn-counter}: {@code add} with a {@code delta}, {@code read} a {@code value}. */
  COUNTER("maelstrom/counter"),
  /** {@code g-set}: {@code add} with an {@code element}, {@code read} a {@code value} array. */
  G_SET("maelstrom/g-set"),
  /** {@code broadcast}: {@code topology}, {@code broadcast} a {@code message}, {@code read} {@code messages}. */
  BROADCAST("maelstrom/broadcast");

  final Bytes key;

  Workload(String key) {
    this.key = Bytes.utf8(key);
  }

  /**
   * The workload a request belongs to, when the request itself says: Maelstrom's {@code read} is
   * the same message in all four workloads, so it says nothing.
   */
  static Optional<Workload> of(String type, JsonNode body) {
    switch (type) {
      case "add":
        if (body.has("delta")) {
          return Optional.of(COUNTER);
        }
        return body.has("element") ? Optional.of(G_SET) : Optional.empty();
      case "broadcast":
      case "topology":
        return Optional.of(BROADCAST);
      default:
        return Optional.empty();
    }
  }

  /** Parses {@code --workload}: Maelstrom's workload names. */
  static Workload named(String name) {
    switch (name) {
      case "g-counter":
      case "pn-counter":
        return COUNTER;
      case "g-set":
        return G_SET;
      case "broadcast":
        return BROADCAST;
      default:
        throw new IllegalArgumentException(
            "workload: \"" + name + "\" (expected: g-counter, pn-counter, g-set or broadcast)");
    }
  }
}
