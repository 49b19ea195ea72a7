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
 * <p>Each is a file, {@code src/main/resources/scenarios/<name>.yaml} (listed in {@code
 * scenarios/index.txt}), in the same form as a user's {@code --scenario-file} ({@link
 * ScenarioFile}), criteria included. Each runs 2 s of warm-up and 14 s of faults on real nodes (the
 * default suite must finish within 10 minutes of a fresh clone on 2 cores, build included), on 3
 * nodes, or 5 where a grudge needs them; {@code big_set} fills a set first and faults it for 40 s.
 */
public final class Scenarios {

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();
  private static final Map<String, List<Criterion>> CRITERIA = new LinkedHashMap<>();

  static {
    for (String name : index()) {
      ScenarioFile.Loaded loaded = ScenarioFile.resource("scenarios/" + name + ".yaml");
      SCENARIOS.put(name, loaded.scenario());
      CRITERIA.put(name, loaded.criteria());
    }
  }

  /** The names in {@code scenarios/index.txt}, in order. */
  private static List<String> index() {
    try (java.io.InputStream in =
        Scenarios.class.getClassLoader().getResourceAsStream("scenarios/index.txt")) {
      if (in == null) {
        throw new IllegalStateException("resource scenarios/index.txt is missing from the bench's jar");
      }
      List<String> names = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        String n = line.strip();
        if (!n.isEmpty() && !n.startsWith("#")) {
          names.add(n);
        }
      }
      return names;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * What {@code scripts/chaos} runs: every scenario, sized for 10 minutes from a fresh clone
   * ({@code big_set}, the longest, took 83 s of it: chaos-bench/README.md, "big_set").
   */
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
   * The numeric criteria of a built-in scenario's file (empty for most), judged after its run as a
   * {@code --scenario-file}'s are.
   *
   * @throws IllegalArgumentException naming the known scenarios
   */
  public static List<Criterion> criteria(String name) {
    named(name);
    return CRITERIA.get(name);
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
