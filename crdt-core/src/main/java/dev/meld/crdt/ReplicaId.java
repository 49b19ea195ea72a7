package dev.meld.crdt;

import java.util.Objects;

/**
 * One life of one node: the node's name and an incarnation number that grows each time the node
 * starts without provably intact state. Every dot and counter slot belongs to a replica id, and
 * because a (replica, counter) pair is never reused, a node that lost its state must act under a
 * fresh incarnation, or its new writes would be swallowed by the old ones its peers still hold.
 *
 * <p>Ordered by node name ({@link String#compareTo}), then incarnation; the canonical encodings
 * list replicas in this order.
 *
 * @param node the node's name: non-empty, at most {@value #MAX_NODE_BYTES} bytes of UTF-8
 * @param incarnation {@code >= 0}
 */
public record ReplicaId(String node, long incarnation) implements Comparable<ReplicaId> {
  /** The longest node name, in UTF-8 bytes. */
  public static final int MAX_NODE_BYTES = 255;

  public ReplicaId {
    Objects.requireNonNull(node, "node");
    if (node.isEmpty()) {
      throw new IllegalArgumentException("node: \"\" (expected: non-empty)");
    }
    int length = Utf8.length(node, "node");
    if (length > MAX_NODE_BYTES) {
      throw new IllegalArgumentException(
          "node: " + length + " UTF-8 bytes (expected: <= " + MAX_NODE_BYTES + ")");
    }
    if (incarnation < 0) {
      throw new IllegalArgumentException("incarnation: " + incarnation + " (expected: >= 0)");
    }
  }

  /** Incarnation 0 of {@code node}. */
  public static ReplicaId of(String node) {
    return new ReplicaId(node, 0);
  }

  /** The same node's next life, to act under after a restart that lost state. */
  public ReplicaId nextIncarnation() {
    return new ReplicaId(node, Math.addExact(incarnation, 1));
  }

  @Override
  public int compareTo(ReplicaId other) {
    int byNode = node.compareTo(other.node);
    return byNode != 0 ? byNode : Long.compare(incarnation, other.incarnation);
  }

  @Override
  public String toString() {
    return node + "#" + incarnation;
  }
}
