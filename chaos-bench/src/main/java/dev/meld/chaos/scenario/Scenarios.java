package dev.meld.chaos.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios by name, and the suites {@code meld-chaos run --scenario} takes: {@code all},
 * {@code default} (what {@code scripts/chaos} runs), {@code smoke} (the CI's set) and {@code
 * docker-default} (what {@code scripts/chaos-docker} runs on containers).
 *
 * <p>Each runs 2 s of warm-up and 14 s of faults on real nodes (the default suite must finish
 * within 10 minutes of a fresh clone on 2 cores, build included), on 3 nodes, or 5 where a grudge
 * needs them.
 */
public final class Scenarios {

  private static final long WARM_UP = 2_000;
  private static final long FAULTS = 14_000;

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

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

  /** What {@code scripts/chaos} runs: every scenario, sized for 10 minutes from a fresh clone. */
  private static final List<String> DEFAULT = List.copyOf(SCENARIOS.keySet());

  /** The CI's smoke set: crashes, a partition with and without removes, a clock bump. */
  private static final List<String> SMOKE =
      List.of("crash_restart", "partition_divergence", "partition_no_resurrect", "clock_bump");

  /** What {@code scripts/chaos-docker} runs on containers (chaos-bench/README.md, container backend). */
  private static final List<String> DOCKER_DEFAULT =
      List.of(
          "crash_restart",
          "partition_divergence",
          "partition_no_resurrect",
          "bridge_partition",
          "clock_bump");

  private Scenarios() {}

  private static void add(String name, String workload, int nodes, String description, Lane... lanes) {
    SCENARIOS.put(
        name, new Scenario(name, description, workload, nodes, List.of(lanes), WARM_UP, FAULTS));
  }

  /** Every scenario, in a stable order. */
  public static List<Scenario> all() {
    return List.copyOf(SCENARIOS.values());
  }

  /** The suite names {@link #select} accepts besides scenario names. */
  public static List<String> suites() {
    return List.of("all", "default", "smoke", "docker-default");
  }

  /** The scenarios of a suite. */
  public static List<String> suite(String name) {
    switch (name) {
      case "all":
        return List.copyOf(SCENARIOS.keySet());
      case "default":
        return DEFAULT;
      case "smoke":
        return SMOKE;
      case "docker-default":
        return DOCKER_DEFAULT;
      default:
        throw new IllegalArgumentException(
            "suite: \"" + name + "\" (expected: one of " + String.join(", ", suites()) + ")");
    }
  }

  /**
   * The scenario named {@code name}.
   *
   * @throws IllegalArgumentException naming the known scenarios
   */
  public static Scenario named(String name) {
    Scenario s = SCENARIOS.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "scenario: \""
              + name
              + "\" (expected: one of "
              + String.join(", ", SCENARIOS.keySet())
              + ", or a suite: "
              + String.join(", ", suites())
              + ")");
    }
    return s;
  }

  /**
   * The scenarios {@code --scenario} values name: scenario or suite names, each also a
   * comma-separated list; duplicates are run once, in the order first named.
   */
  public static List<Scenario> select(List<String> names) {
    Map<String, Scenario> chosen = new LinkedHashMap<>();
    for (String arg : names) {
      for (String name : arg.split(",", -1)) {
        String n = name.trim();
        List<String> members = suites().contains(n) ? suite(n) : List.of(named(n).name());
        for (String m : members) {
          chosen.putIfAbsent(m, SCENARIOS.get(m));
        }
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("scenario: none (expected: a name or a suite)");
    }
    return new ArrayList<>(chosen.values());
  }
}
