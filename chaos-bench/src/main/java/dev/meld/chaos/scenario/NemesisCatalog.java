package dev.meld.chaos.scenario;

import dev.meld.chaos.nemesis.BackupNemesis;
import dev.meld.chaos.nemesis.ClockNemesis;
import dev.meld.chaos.nemesis.Grudge;
import dev.meld.chaos.nemesis.Grudges;
import dev.meld.chaos.nemesis.LinkNemesis;
import dev.meld.chaos.nemesis.Nemeses;
import dev.meld.chaos.nemesis.Nemesis;
import dev.meld.chaos.nemesis.PartitionNemesis;
import dev.meld.chaos.nemesis.ProcessNemesis;
import dev.meld.chaos.nemesis.Targets;
import dev.meld.chaos.nemesis.WipeNemesis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scenarios know about each nemesis before running it: the {@code f} its start and stop
 * ops carry in the history (so the invocation can be recorded before the fault is applied, as
 * Jepsen's nemesis does), whether it is a one-off with no stop, whether it destroys data, and
 * whether it works on named copies (backup, restore). A test runs every nemesis on a stand-in
 * cluster and checks these against the ops it produces.
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
   *     a crash or a wipe their state is not provably intact: ARCHITECTURE.md, "a (replica,
   *     counter) pair is never reused"); checked when the fault ends
   * @param copies whether it takes or puts back a named copy of a node's data ({@code backup},
   *     {@code restore}): only a timeline step naming its targets may use it, since a restore must
   *     follow a backup of the same nodes, which a lane's random choice cannot promise
   * @param description one line for {@code meld-chaos list}
   */
  public record Entry(
      String name,
      String startF,
      String stopF,
      boolean destroysData,
      boolean newIncarnation,
      boolean copies,
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
    // A restore loses what the node acknowledged after its backup, as a wipe loses everything.
    add("backup", "backup", null, false, "graceful stop, copy of the data directory, restart (timeline, targets)");
    add("restore", "restore", null, true, "data directory replaced by a backup, marked restored (timeline, targets)");
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
    boolean copies = name.equals("backup") || name.equals("restore");
    ENTRIES.put(name, new Entry(name, startF, stopF, destroysData, crashes, copies, description));
  }

  /** Every nemesis a scenario may name. */
  public static List<Entry> entries() {
    return List.copyOf(ENTRIES.values());
  }

  /**
   * The {@code f}s of the ops of nemeses that destroy data ({@code wipe}, {@code restore}): a
   * checker reading a history learns from them which nodes lost what they had acknowledged.
   */
  public static Set<String> dataLossFs() {
    Set<String> fs = new HashSet<>();
    ENTRIES.values().stream().filter(Entry::destroysData).forEach(e -> fs.add(e.startF()));
    return Set.copyOf(fs);
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

  /** How a step may aim a nemesis ({@link #checkAim}). */
  private enum Aiming {
    /** No aim: the nemesis picks its own shape. */
    NONE,
    /** {@code targets}: one node or more. */
    MANY,
    /** {@code targets}: at most a minority. */
    MINORITY,
    /** {@code targets}: exactly one node. */
    ONE,
    /** {@code targets}: one node or more, and a copy. */
    COPY,
    /** {@code targets}: fewer than all nodes (one must keep what the copy lacks), and a copy. */
    COPY_FEWER,
    /** {@code targets} (one side against the rest) or {@code sides} (the components). */
    PARTITION
  }

  private static Aiming aiming(String name) {
    return switch (name) {
      case "kill", "pause", "rolling-terminate" -> Aiming.MANY;
      case "kill-minority" -> Aiming.MINORITY;
      case "slow", "lossy", "clock-bump", "clock-strobe", "wipe" -> Aiming.ONE;
      case "backup" -> Aiming.COPY;
      case "restore" -> Aiming.COPY_FEWER;
      case "partition-halves", "partition-random-halves", "partition-one" -> Aiming.PARTITION;
      default -> Aiming.NONE;
    };
  }

  /**
   * Checks that {@code aim} fits nemesis {@code name} on a cluster of {@code nodes} nodes named
   * {@code n1..n<nodes>}.
   *
   * @return null if it fits, else the problem as {@code value (expected: ...)}, naming {@code
   *     targets} or {@code sides} first
   */
  public static String checkAim(String name, Aim aim, int nodes) {
    Entry e = entry(name);
    if (e.copies() && (aim.targets().isEmpty() || aim.copy().isEmpty())) {
      return "targets: " + aim.targets() + " (expected: the nodes to " + name + " and the copy's name)";
    }
    if (!e.copies() && !aim.copy().isEmpty()) {
      return "copy: \"" + aim.copy() + "\" (expected: none: only backup and restore name a copy)";
    }
    if (aim.none()) {
      return null;
    }
    Aiming a = aiming(name);
    String field = aim.targets().isEmpty() ? "sides" : "targets";
    List<String> named = new ArrayList<>(aim.targets());
    aim.sides().forEach(named::addAll);
    for (String node : named) {
      if (!node.matches("n[1-9][0-9]{0,2}") || Integer.parseInt(node.substring(1)) > nodes) {
        return field + ": \"" + node + "\" (expected: a node of this scenario, n1..n" + nodes + ")";
      }
    }
    if (new HashSet<>(named).size() != named.size()) {
      return field + ": " + named + " (expected: each node once)";
    }
    switch (a) {
      case NONE -> {
        return field + ": " + name + " (expected: no targets: it picks its own shape; aimed nemeses: "
            + String.join(", ", ENTRIES.keySet().stream().filter(n -> aiming(n) != Aiming.NONE).toList()) + ")";
      }
      case PARTITION -> {
        if (!aim.sides().isEmpty()) {
          if (aim.sides().size() < 2 || aim.sides().stream().anyMatch(List::isEmpty)) {
            return "sides: " + aim.sides() + " (expected: two or more non-empty lists of nodes)";
          }
        } else if (aim.targets().size() >= nodes) {
          return "targets: " + aim.targets() + " (expected: one side, fewer than all " + nodes + " nodes)";
        }
        return null;
      }
      default -> {
        if (!aim.sides().isEmpty()) {
          return "sides: " + aim.sides() + " (expected: none: sides shape partitions; " + name + " takes targets)";
        }
        if (a == Aiming.COPY_FEWER && aim.targets().size() >= nodes) {
          return "targets: " + aim.targets() + " (expected: fewer than all " + nodes
              + " nodes: a node that is not restored must keep the writes its copy lacks)";
        }
        int max = a == Aiming.ONE ? 1 : a == Aiming.MINORITY ? Math.max(1, (nodes - 1) / 2) : nodes;
        if (aim.targets().size() > max) {
          return "targets: " + aim.targets() + " (expected: at most " + max + (a == Aiming.MINORITY
              ? " node(s), a minority of " + nodes + ")" : " node(s) for " + name + ")");
        }
        return null;
      }
    }
  }

  /**
   * {@code nemesis} aimed as a step says (itself when the aim is {@link Aim#NONE}).
   *
   * @throws IllegalArgumentException if this nemesis cannot be aimed (a backend's own variant)
   */
  public static Nemesis aim(Nemesis nemesis, Aim aim) {
    if (aim.none()) {
      return nemesis;
    }
    if (nemesis instanceof ProcessNemesis p) {
      return p.aimedAt(aim.targets());
    } else if (nemesis instanceof LinkNemesis l) {
      return l.aimedAt(aim.targets());
    } else if (nemesis instanceof ClockNemesis c) {
      return c.aimedAt(aim.targets());
    } else if (nemesis instanceof WipeNemesis w) {
      return w.aimedAt(aim.targets());
    } else if (nemesis instanceof BackupNemesis b) {
      return b.aimedAt(aim.targets(), aim.copy());
    } else if (nemesis instanceof PartitionNemesis && aiming(nemesis.name()) == Aiming.PARTITION) {
      return new PartitionNemesis(nemesis.name(), (members, random) -> grudge(aim, members));
    }
    throw new IllegalArgumentException(
        "nemesis: " + nemesis.name() + " (" + nemesis.getClass().getSimpleName()
            + ") with " + aim + " (expected: a nemesis this backend can aim)");
  }

  /** The partition a step's aim describes: its sides, or its targets against every other member. */
  private static Grudge<String> grudge(Aim aim, List<String> members) {
    if (!aim.sides().isEmpty()) {
      aim.sides().forEach(side -> Targets.members(side, members));
      return Grudges.complete(aim.sides());
    }
    Set<String> side = Set.copyOf(Targets.members(aim.targets(), members));
    List<String> rest = members.stream().filter(m -> !side.contains(m)).toList();
    return Grudges.complete(List.of(aim.targets(), rest));
  }
}
