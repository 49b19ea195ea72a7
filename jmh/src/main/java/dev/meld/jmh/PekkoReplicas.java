package dev.meld.jmh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.PNCounter;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/**
 * Pekko Distributed Data types used standalone, without an actor system: a replica is just a {@link
 * SelfUniqueAddress} built from an {@link Address} and a uid. The two sides of every scenario are
 * distinct instances with no ancestor relation, so Pekko's merge shortcuts for the same instance or
 * a known ancestor ({@code FastMerge}) never fire and merging does its real work.
 */
final class PekkoReplicas {

  /** Replicas in every scenario. */
  static final int REPLICAS = 5;

  private PekkoReplicas() {}

  static SelfUniqueAddress replica(int index) {
    return new SelfUniqueAddress(
        new UniqueAddress(
            new Address("pekko", "meld-bench", "replica-" + index, 2552), index + 1L));
  }

  static String element(int index) {
    return "element-" + index;
  }

  /**
   * Each replica's own set, where replica {@code r} added the elements {@code i} with {@code i % 5
   * == r}, {@code 0 <= i < size}.
   */
  static List<ORSet<String>> replicaSets(int size) {
    List<ORSet<String>> sets = new ArrayList<>();
    for (int r = 0; r < REPLICAS; r++) {
      SelfUniqueAddress replica = replica(r);
      ORSet<String> own = ORSet.create();
      for (int i = r; i < size; i += REPLICAS) {
        // resetDelta: without it every add would also grow an accumulated delta, quadratic over the
        // build.
        own = own.add(replica, element(i)).resetDelta();
      }
      sets.add(own);
    }
    return sets;
  }

  /**
   * The converged state of {@code replicaSets}, merged in the given order into a new object graph.
   * Two orders give two equal states that are distinct instances with distinct maps. (Building the
   * replica sets twice would not give equal states: Pekko draws dot versions from one JVM-wide
   * counter.)
   */
  static ORSet<String> converged(List<ORSet<String>> replicaSets, boolean reversed) {
    List<ORSet<String>> order = new ArrayList<>(replicaSets);
    if (reversed) {
      Collections.reverse(order);
    }
    ORSet<String> merged = ORSet.create();
    for (ORSet<String> own : order) {
      merged = merged.merge(own);
    }
    return merged;
  }

  /**
   * The merge of five replicas' counters where replica {@code r}'s increments add up to {@code
   * increments[r]} and its decrements to {@code decrements[r]}.
   */
  static PNCounter counter(long[] increments, long[] decrements) {
    PNCounter merged = PNCounter.create();
    for (int r = 0; r < REPLICAS; r++) {
      SelfUniqueAddress replica = replica(r);
      PNCounter own =
          PNCounter.create().increment(replica, increments[r]).decrement(replica, decrements[r]);
      merged = merged.merge(own.resetDelta());
    }
    return merged;
  }
}
