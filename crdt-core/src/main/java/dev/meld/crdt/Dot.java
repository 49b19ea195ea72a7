package dev.meld.crdt;

import java.util.Objects;

/**
 * One event: the {@code counter}-th event of {@code replica}. A dot is never reused, so it names
 * one add (or one write) everywhere it travels. Ordered by replica, then counter.
 *
 * @param replica the replica that made the event
 * @param counter {@code >= 1}
 */
public record Dot(ReplicaId replica, long counter) implements Comparable<Dot> {
  public Dot {
    Objects.requireNonNull(replica, "replica");
    if (counter < 1) {
      throw new IllegalArgumentException("counter: " + counter + " (expected: >= 1)");
    }
  }

  @Override
  public int compareTo(Dot other) {
    int byReplica = replica.compareTo(other.replica);
    return byReplica != 0 ? byReplica : Long.compare(counter, other.counter);
  }

  @Override
  public String toString() {
    return replica + ":" + counter;
  }
}
