package dev.meld.jmh;

import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Meld's side of the scenarios in {@link PekkoReplicas}, built the same way: the same replica
 * names, the same elements (Java strings, held as {@code Orswot<String>} with {@link
 * ElementCodec#UTF8}, since Pekko's sets hold the same strings), and two sides merged from the same
 * replica states in opposite orders, so that they are equal, distinct instances.
 */
final class MeldReplicas {

  private MeldReplicas() {}

  static ReplicaId replica(int index) {
    return ReplicaId.of("replica-" + index);
  }

  /**
   * Each replica's own set, where replica {@code r} added the elements {@code i} with {@code i % 5
   * == r}, {@code 0 <= i < size}.
   */
  static List<Orswot<String>> replicaSets(int size) {
    List<Orswot<String>> sets = new ArrayList<>();
    for (int r = 0; r < PekkoReplicas.REPLICAS; r++) {
      ReplicaId replica = replica(r);
      Orswot<String> own = new Orswot<>(ElementCodec.UTF8);
      for (int i = r; i < size; i += PekkoReplicas.REPLICAS) {
        own.add(replica, PekkoReplicas.element(i));
      }
      sets.add(own);
    }
    return sets;
  }

  /** The converged state of {@code replicaSets}, merged in the given order into a new set. */
  static Orswot<String> converged(List<Orswot<String>> replicaSets, boolean reversed) {
    List<Orswot<String>> order = new ArrayList<>(replicaSets);
    if (reversed) {
      Collections.reverse(order);
    }
    Orswot<String> merged = new Orswot<>(ElementCodec.UTF8);
    for (Orswot<String> own : order) {
      merged.mergeFrom(own);
    }
    return merged;
  }

  /**
   * The merge of five replicas' counters where replica {@code r}'s increments add up to {@code
   * increments[r]} and its decrements to {@code decrements[r]}.
   */
  static PNCounter counter(long[] increments, long[] decrements) {
    PNCounter merged = new PNCounter();
    for (int r = 0; r < PekkoReplicas.REPLICAS; r++) {
      ReplicaId replica = replica(r);
      PNCounter own = new PNCounter();
      own.increment(replica, increments[r]);
      own.decrement(replica, decrements[r]);
      merged.mergeFrom(own);
    }
    return merged;
  }
}
