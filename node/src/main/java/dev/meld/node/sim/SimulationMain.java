package dev.meld.node.sim;

import dev.meld.node.Misbehavior;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runs the simulator from the command line.
 *
 * <pre>
 * java -cp "$(cat node/target/sim.classpath):node/target/classes" dev.meld.node.sim.SimulationMain \
 *     [--seeds N] [--start S] [--threads T] [--misbehaviors A,B] [--seed X [--trace]]
 * </pre>
 *
 * With {@code --seed} it runs one seed (tracing every event with {@code --trace}) and prints its
 * report; otherwise it runs {@code N} seeds from {@code S} (defaults 100 and 1) and prints the
 * failures and the rate in seeds per minute. Exits 1 if any run failed, 2 on bad arguments.
 */
public final class SimulationMain {

  private SimulationMain() {}

  public static void main(String[] args) {
    long seeds = 100;
    long start = 1;
    Long single = null;
    boolean trace = false;
    int threads = Runtime.getRuntime().availableProcessors();
    Set<Misbehavior> misbehaviors = EnumSet.noneOf(Misbehavior.class);
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--seeds" -> seeds = Long.parseLong(args[++i]);
          case "--start" -> start = Long.parseLong(args[++i]);
          case "--seed" -> single = Long.parseLong(args[++i]);
          case "--threads" -> threads = Integer.parseInt(args[++i]);
          case "--trace" -> trace = true;
          case "--misbehaviors" -> misbehaviors = parseMisbehaviors(args[++i]);
          default ->
              throw new IllegalArgumentException(
                  "argument: "
                      + args[i]
                      + " (expected: --seeds, --start, --seed, --threads, --trace,"
                      + " --misbehaviors)");
        }
      }
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (single != null) {
      Trace t = trace ? Trace.to(System.out::println) : Trace.silent();
      SimResult result = Simulation.run(single, misbehaviors, t);
      System.out.print(result.report());
      System.out.printf(
          "fingerprint %016x, %d events, %d ops%n",
          result.fingerprint(), result.events(), result.ops());
      System.exit(result.passed() ? 0 : 1);
      return;
    }
    SeedRunner.Summary summary = SeedRunner.run(start, seeds, misbehaviors, threads, null);
    summary.failures().forEach(r -> System.out.print(r.report()));
    System.out.printf(
        "%d seeds from %d, %d failed, %.1f s on %d threads: %.0f seeds/minute%n",
        summary.seeds(),
        start,
        summary.failures().size(),
        summary.millis() / 1000.0,
        threads,
        summary.seedsPerMinute());
    System.exit(summary.failures().isEmpty() ? 0 : 1);
  }

  /** Parses a comma-separated list of {@link Misbehavior} names; empty for "" or "none". */
  public static Set<Misbehavior> parseMisbehaviors(String text) {
    Set<Misbehavior> set = EnumSet.noneOf(Misbehavior.class);
    if (text == null || text.isBlank() || text.equals("none")) {
      return set;
    }
    for (String name : text.split(",")) {
      try {
        set.add(Misbehavior.valueOf(name.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "misbehavior: "
                + name
                + " (expected: one of "
                + EnumSet.allOf(Misbehavior.class)
                + ")");
      }
    }
    return set;
  }
}
