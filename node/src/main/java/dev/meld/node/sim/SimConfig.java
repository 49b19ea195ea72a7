package dev.meld.node.sim;

import dev.meld.node.Misbehavior;
import dev.meld.node.ReplicaConfig;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How a {@link SimCluster} is built: its seed, its first members, its network and the replicas'
 * timers. Everything random in a run is drawn from {@code seed}.
 *
 * @param seed the only source of randomness of the run
 * @param nodes how many members the cluster starts with (named n1, n2, ...), 1 to 16
 * @param network the mesh's delay, loss and duplication
 * @param tickMillis how often each live node's timers run ({@code Replica.tick})
 * @param clientDelayMillis the largest one-way delay between a client and a node (at least 1)
 * @param clientTimeoutMillis how long a client waits for a reply before recording {@code info}
 * @param replica adjusts each node's replica configuration (timers, limits); applied to the
 *     simulator's defaults, see {@link #replicaDefaults}
 * @param misbehaviors deliberate bugs switched on in every replica (tests of the checks only)
 */
public record SimConfig(
    long seed,
    int nodes,
    NetworkProfile network,
    long tickMillis,
    long clientDelayMillis,
    long clientTimeoutMillis,
    UnaryOperator<ReplicaConfig.Builder> replica,
    Set<Misbehavior> misbehaviors) {

  /** The largest cluster a config may start with. */
  public static final int MAX_NODES = 16;

  public SimConfig {
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new IllegalArgumentException("nodes: " + nodes + " (expected: 1.." + MAX_NODES + ")");
    }
    Objects.requireNonNull(network, "network");
    positive("tickMillis", tickMillis);
    positive("clientDelayMillis", clientDelayMillis);
    positive("clientTimeoutMillis", clientTimeoutMillis);
    Objects.requireNonNull(replica, "replica");
    misbehaviors =
        misbehaviors.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(misbehaviors));
  }

  /** A calm cluster of {@code nodes} members with the simulator's defaults. */
  public static SimConfig of(long seed, int nodes) {
    return new SimConfig(seed, nodes, NetworkProfile.CALM, 10, 3, 500, b -> b, Set.of());
  }

  public SimConfig withNetwork(NetworkProfile v) {
    return new SimConfig(
        seed, nodes, v, tickMillis, clientDelayMillis, clientTimeoutMillis, replica, misbehaviors);
  }

  public SimConfig withReplica(UnaryOperator<ReplicaConfig.Builder> v) {
    return new SimConfig(
        seed, nodes, network, tickMillis, clientDelayMillis, clientTimeoutMillis, v, misbehaviors);
  }

  public SimConfig withMisbehaviors(Set<Misbehavior> v) {
    return new SimConfig(
        seed, nodes, network, tickMillis, clientDelayMillis, clientTimeoutMillis, replica, v);
  }

  public SimConfig withClientTimeoutMillis(long v) {
    return new SimConfig(
        seed, nodes, network, tickMillis, clientDelayMillis, v, replica, misbehaviors);
  }

  /**
   * The replica timers the simulator starts from, scaled for runs of a few virtual seconds: pings
   * every 100 ms, a peer dead after 400 ms of silence, anti-entropy every 500 ms (jitter 250),
   * small batches and windows so flow control matters, and a 1 s HLC drift bound so clock skews are
   * clamped.
   */
  public static ReplicaConfig.Builder replicaDefaults(ReplicaConfig.Builder b) {
    return b.pingIntervalMillis(100)
        .pumpIntervalMillis(20)
        .antiEntropyIntervalMillis(500)
        .antiEntropyJitterMillis(250)
        .sessionTimeoutMillis(2_000)
        .peerDeadTimeoutMillis(400)
        .ackTimeoutMillis(200)
        .batchMaxEntries(32)
        .inflightWindow(4)
        .hlcMaxDriftMillis(1_000)
        .recordCacheEntries(1_000);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
    }
  }
}
