package dev.meld.chaos.nemesis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The nemeses by name, each built fresh (a nemesis remembers what it started). Durations are the
 * defaults the scenarios use: slow links at 2 s ± 200 ms (well beyond a replication round trip),
 * lossy links cutting half the connections, clock bumps of 30 s, strobes of 30 s every 3 s for 12
 * s. Backup and restore act only once a timeline step aims them ({@link BackupNemesis}).
 */
public final class Nemeses {

  private static final Map<String, Supplier<Nemesis>> NAMED = new LinkedHashMap<>();

  static {
    add("kill", () -> new ProcessNemesis("kill", ProcessNemesis.Mode.KILL, Targets.ONE));
    add(
        "kill-minority",
        () -> new ProcessNemesis("kill-minority", ProcessNemesis.Mode.KILL, Targets.MINORITY));
    add("pause", () -> new ProcessNemesis("pause", ProcessNemesis.Mode.PAUSE, Targets.ONE));
    add(
        "rolling-terminate",
        () ->
            new ProcessNemesis(
                "rolling-terminate", ProcessNemesis.Mode.TERMINATE, Targets.ROLLING));
    for (String grudge : Grudges.names()) {
      add(
          "partition-" + grudge,
          () -> new PartitionNemesis("partition-" + grudge, Grudges.<String>named(grudge)));
    }
    add(
        "partition-one-way",
        () -> new PartitionNemesis("partition-one-way", PartitionNemesis::oneWay));
    add("slow", () -> LinkNemesis.slow("slow", Duration.ofSeconds(2), Duration.ofMillis(200)));
    add("lossy", () -> LinkNemesis.lossy("lossy", 0.5));
    add("clock-bump", () -> ClockNemesis.bump("clock-bump", Duration.ofSeconds(30)));
    add(
        "clock-strobe",
        () ->
            ClockNemesis.strobe(
                "clock-strobe",
                Duration.ofSeconds(30),
                Duration.ofSeconds(3),
                Duration.ofSeconds(12)));
    add("wipe", () -> new WipeNemesis("wipe"));
    add("backup", () -> new BackupNemesis(BackupNemesis.Mode.BACKUP));
    add("restore", () -> new BackupNemesis(BackupNemesis.Mode.RESTORE));
  }

  private Nemeses() {}

  private static void add(String name, Supplier<Nemesis> nemesis) {
    NAMED.put(name, nemesis);
  }

  /** The names {@link #named} knows (membership churn is built with its spare names instead). */
  public static List<String> names() {
    return List.copyOf(NAMED.keySet());
  }

  /** A new nemesis of that name. */
  public static Nemesis named(String name) {
    Supplier<Nemesis> nemesis = NAMED.get(name);
    if (nemesis == null) {
      throw new IllegalArgumentException(
          "nemesis: " + name + " (expected one of " + NAMED.keySet() + ")");
    }
    return nemesis.get();
  }

  /** Membership churn over the given spare names. */
  public static Nemesis membership(List<String> spares) {
    return new MembershipNemesis("membership", spares);
  }
}
