package dev.meld.node.sim;

import dev.meld.node.ReplicaConfig;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The shape of one simulated run, drawn from its seed: how many nodes and clients, how long the
 * workload runs, which faults strike, and which of two modes the replicas run in.
 *
 * <ul>
 *   <li>{@link Mode#FULL}: anti-entropy on, every fault (partitions of every grudge, crashes, clean
 *       restarts, pauses, clock skews and jumps, wipes, joins, leaves, a lossy network), and in
 *       half the runs a log retention so short that lagging peers need anti-entropy.
 *   <li>{@link Mode#LOG_ONLY}: anti-entropy and peer death pushed beyond the run, and only faults
 *       the replication log must repair on its own (partitions, clean restarts, pauses, clocks, a
 *       lossy network; no crashes, wipes or membership changes). This is what shows that batches
 *       are really applied and attributed to the right origin: anti-entropy would hide it.
 * </ul>
 *
 * @param seed the run's seed
 * @param mode see above
 * @param nodes members at the start, 3 to 7
 * @param clients concurrent client processes
 * @param runMillis how long clients issue ops and faults strike (virtual)
 * @param faults how many faults start during the run
 * @param network the base network
 * @param shortRetention whether the log keeps only a few dozen entries
 */
public record Scenario(
    long seed,
    Mode mode,
    int nodes,
    int clients,
    long runMillis,
    int faults,
    NetworkProfile network,
    boolean shortRetention) {

  /** Whether anti-entropy runs. */
  public enum Mode {
    FULL,
    LOG_ONLY
  }

  /** Counter keys every scenario uses. */
  public static final List<String> COUNTERS = List.of("c0", "c1");

  /** Set keys every scenario uses. */
  public static final List<String> SETS = List.of("s0", "s1");

  /** The scenario of {@code seed}. */
  public static Scenario of(long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5CE7A210L);
    Mode mode = random.nextInt(4) == 0 ? Mode.LOG_ONLY : Mode.FULL;
    int[] sizes = {3, 3, 3, 4, 4, 5, 5, 6, 7};
    int nodes = sizes[random.nextInt(sizes.length)];
    int clients = 3 + random.nextInt(3);
    long runMillis = 2_500 + random.nextInt(2_000);
    int faults = 2 + random.nextInt(4);
    NetworkProfile network =
        random.nextBoolean() ? NetworkProfile.CALM : new NetworkProfile(1, 15, 0.03, 0.03);
    boolean shortRetention = mode == Mode.FULL && random.nextBoolean();
    return new Scenario(seed, mode, nodes, clients, runMillis, faults, network, shortRetention);
  }

  /** The cluster configuration for this scenario. */
  public SimConfig config() {
    UnaryOperator<ReplicaConfig.Builder> replica =
        b -> {
          if (mode == Mode.LOG_ONLY) {
            b.antiEntropyIntervalMillis(1L << 40).antiEntropyJitterMillis(0);
            b.peerDeadTimeoutMillis(1L << 40);
          }
          if (shortRetention) {
            b.logRetentionEntries(40);
          }
          return b;
        };
    return SimConfig.of(seed, nodes).withNetwork(network).withReplica(replica);
  }

  @Override
  public String toString() {
    return "seed "
        + seed
        + ": "
        + mode
        + ", "
        + nodes
        + " nodes, "
        + clients
        + " clients, "
        + runMillis
        + " ms, "
        + faults
        + " faults, network "
        + network.minDelayMillis()
        + ".."
        + network.maxDelayMillis()
        + " ms drop "
        + network.dropRate()
        + " dup "
        + network.duplicateRate()
        + (shortRetention ? ", short log retention" : "");
  }
}
