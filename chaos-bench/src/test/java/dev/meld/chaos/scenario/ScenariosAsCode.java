package dev.meld.chaos.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in scenarios as they were defined in Java before they became files
 * ({@code src/main/resources/scenarios/}), kept to show the files reproduce them exactly.
 */
final class ScenariosAsCode {

  private static final long WARM_UP = 2_000;
  private static final long FAULTS = 14_000;

  static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    add("crash_restart", "counter", 3, "SIGKILL a node and restart it", Lane.of("kill", 1_000, 3_000, 2_000));
    add("freeze_thaw", "counter", 3, "SIGSTOP a node and SIGCONT it", Lane.of("pause", 1_000, 3_000, 2_000));
    add(
        "rolling_churn",
        "counter",
        3,
        "SIGTERM each node in turn (graceful drain) and restart it",
        Lane.of("rolling-terminate", 500, 2_000, 1_500));
    add(
        "partition_divergence",
        "set",
        3,
        "random halves partitioned, clients writing on both sides",
        Lane.of("partition-random-halves", 1_000, 5_000, 2_000));
    add(
        "partition_no_resurrect",
        "set-removes",
        3,
        "partitions while elements are added and removed: nothing lost, nothing resurrected",
        Lane.of("partition-random-halves", 1_000, 5_000, 2_000));
    add(
        "bridge_partition",
        "counter",
        5,
        "Jepsen's bridge: two halves that only one node hears",
        Lane.of("partition-bridge", 1_000, 5_000, 2_000));
    add(
        "majority_ring",
        "set",
        5,
        "Jepsen's majorities ring: every node hears a different majority",
        Lane.of("partition-majorities-ring", 1_000, 5_000, 2_000));
    add(
        "slow_peer",
        "counter",
        3,
        "one node's mesh links delayed 2 s, beyond the replication timeout",
        Lane.of("slow", 1_000, 6_000, 2_000));
    add(
        "lossy_link",
        "set",
        3,
        "one node's mesh connections cut mid-message",
        Lane.of("lossy", 1_000, 6_000, 2_000));
    add(
        "clock_bump",
        "counter",
        3,
        "one node's clock moved ±30 s (libfaketime)",
        Lane.of("clock-bump", 1_000, 4_000, 2_000));
    add(
        "clock_strobe",
        "set",
        3,
        "one node's clock flipping between +30 s and real time (libfaketime)",
        Lane.of("clock-strobe", 1_000, 12_000, 2_000));
    add(
        "wipe_replace",
        "counter",
        3,
        "a node's data directory destroyed; it rejoins empty under a new incarnation",
        Lane.of("wipe", 1_000, 1, 5_000));
    add(
        "membership_churn",
        "set",
        3,
        "a node joins under load, takes data, then leaves gracefully",
        Lane.of("membership", 1_000, 7_000, 2_000));
    add(
        "combined",
        "counter",
        5,
        "Jepsen-style mix: network faults and process or clock faults in two staggered lanes",
        new Lane(
            List.of(
                "partition-random-halves",
                "partition-one",
                "partition-bridge",
                "partition-majorities-ring",
                "lossy"),
            500,
            3_000,
            1_500),
        new Lane(List.of("kill", "pause", "clock-bump"), 2_000, 2_500, 2_000));
  }

  private ScenariosAsCode() {}

  private static void add(String name, String workload, int nodes, String description, Lane... lanes) {
    SCENARIOS.put(
        name, new Scenario(name, description, workload, nodes, List.of(lanes), WARM_UP, FAULTS));
  }
}
