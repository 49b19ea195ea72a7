package dev.meld.chaos.scenario;

import dev.meld.chaos.nemesis.Nemeses;
import dev.meld.chaos.nemesis.Nemesis;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scenarios know about each nemesis before running it: the {@code f} its start and stop
 * ops carry in the history (so the invocation can be recorded before the fault is applied, as
 * Jepsen's nemesis does), whether it is a one-off with no stop, and whether it destroys data. A
 * test runs every nemesis on a stand-in cluster and checks these against the ops it produces.
 */
public final class NemesisCatalog {

  /**
   * One nemesis.
   *
   * @param name the name scenarios use
   * @param startF the {@code f} of its start op
   * @param stopF the {@code f} of its stop op; null for a one-off
   * @param destroysData whether it destroys a node's data (the workload pauses and replication
   *     drains before it strikes, so only the data destroyed is lost, not writes in flight)
   * @param newIncarnation whether the nodes it hits must come back under a new incarnation (after
   *     a crash or a wipe their state is not provably intact: DESIGN.md, "a (replica, counter) pair
   *     is never reused"); checked when the fault ends
   * @param description one line for {@code meld-chaos list}
   */
  public record Entry(
      String name,
      String startF,
      String stopF,
      boolean destroysData,
      boolean newIncarnation,
      String description) {

    /** True for a nemesis whose start is the whole fault (nothing to stop). */
    public boolean oneOff() {
      return stopF == null;
    }
  }

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    add("kill", "kill", "start", false, "SIGKILL one node, then restart it on its data");
    add("kill-minority", "kill", "start", false, "SIGKILL a minority, then restart them");
    add("pause", "pause", "resume", false, "SIGSTOP one node, then SIGCONT");
    add(
        "rolling-terminate",
        "start-terminate",
        "stop-terminate",
        false,
        "SIGTERM the next node in turn (graceful drain), then restart it");
    for (String grudge : List.of("halves", "random-halves", "one", "bridge", "majorities-ring")) {
      add(
          "partition-" + grudge,
          "start-partition",
          "stop-partition",
          false,
          "mesh partition: the " + grudge + " grudge, then heal");
    }
    add(
        "partition-one-way",
        "start-partition",
        "stop-partition",
        false,
        "one node stops hearing another, one way, then heal");
    add("slow", "start-slow", "stop-slow", false, "every mesh link of one node slowed to 2 s");
    add("lossy", "start-lossy", "stop-lossy", false, "every mesh link of one node lossy (p 0.5)");
    add("clock-bump", "bump-clock", "reset-clock", false, "one node's clock moved by ±30 s");
    add("clock-strobe", "strobe-clock", null, false, "one node's clock flips +30 s / real, 12 s");
    add("wipe", "wipe", null, true, "one node's data destroyed; it rejoins empty");
    add(
        "membership",
        "start-membership",
        "stop-membership",
        false,
        "a new node joins under load, then leaves gracefully");
  }

  private NemesisCatalog() {}

  private static void add(
      String name, String startF, String stopF, boolean destroysData, String description) {
    boolean crashes = destroysData || name.startsWith("kill");
    ENTRIES.put(name, new Entry(name, startF, stopF, destroysData, crashes, description));
  }

  /** Every nemesis a scenario may name. */
  public static List<Entry> entries() {
    return List.copyOf(ENTRIES.values());
  }

  /**
   * The entry named {@code name}.
   *
   * @throws IllegalArgumentException naming the known names
   */
  public static Entry entry(String name) {
    Entry e = ENTRIES.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "nemesis: \"" + name + "\" (expected: one of " + String.join(", ", ENTRIES.keySet()) + ")");
    }
    return e;
  }

  /**
   * A fresh nemesis of that name for a real (or stand-in) cluster.
   *
   * @param spares the names a joining node may take (used by {@code membership} only)
   */
  public static Nemesis create(String name, List<String> spares) {
    entry(name);
    return name.equals("membership") ? Nemeses.membership(spares) : Nemeses.named(name);
  }
}
