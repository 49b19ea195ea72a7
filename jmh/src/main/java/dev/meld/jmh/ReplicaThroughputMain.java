package dev.meld.jmh;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.Outbox;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.command.Command;
import dev.meld.node.store.RocksRecordStore;
import dev.meld.node.store.RocksStoreOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The same workload as {@link ReplicaIncrementBenchmark} as a whole-process run that also reports
 * CPU time and the bytes the driving thread allocates per increment: on a machine shared with other builds, wall-clock throughput mostly measures the
 * neighbours, while increments per CPU-second of this process (all its threads, RocksDB's
 * background flushes included) estimate what one dedicated core sustains. Run:
 *
 * <pre>
 * mvn -B -q -pl jmh -am package -DskipTests &amp;&amp; java -cp jmh/target/benchmarks.jar dev.meld.jmh.ReplicaThroughputMain 2000000
 * </pre>
 *
 * The argument is the number of increments per group size (default 1,000,000); each group size (1,
 * 16, 64) gets a fresh store and replica, and a warm-up of a fifth of the increments first.
 */
public final class ReplicaThroughputMain {

  /* -Dmeld.bench.keys=100000 spreads the increments over that many counters, each group of distinct
   * ones (the record cache's cost shows with many keys, as under redis-benchmark -r 100000). */
  private static final int KEYS = Integer.getInteger("meld.bench.keys", 1_000);
  private static final Outbox NOWHERE = (to, message) -> {};

  private ReplicaThroughputMain() {}

  public static void main(String[] args) throws IOException {
    long increments = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    System.out.printf(
        "%-6s %12s %10s %16s %16s %14s %14s%n",
        "group",
        "increments",
        "wall s",
        "incr/s (wall)",
        "incr/CPU-s",
        "thread CPU %",
        "bytes/incr");
    for (int group : new int[] {1, 16, 64}) {
      run(group, increments);
    }
  }

  private static void run(int group, long increments) throws IOException {
    Path dir = Files.createTempDirectory("meld-replica-throughput");
    try (Replica replica =
        Replica.open(
            ReplicaConfig.builder("bench").build(),
            RocksRecordStore.open(dir, KeyHashing::keyHash64, RocksStoreOptions.DEFAULTS),
            PhysicalClock.system(),
            new SplittableRandom(1))) {
      List<List<Command>> groups = new ArrayList<>();
      boolean spread = KEYS > 1_000;
      for (int i = 0; i < (spread ? Math.max(1, KEYS / group) : KEYS); i++) {
        List<Command> g = new ArrayList<>(group);
        for (int j = 0; j < group; j++) {
          int key = spread ? (i * group + j) % KEYS : (i + j) % KEYS;
          g.add(new Command.Increment(Bytes.utf8("counter:" + key), 1));
        }
        groups.add(g);
      }
      drive(replica, groups, increments / 5 / group);
      OperatingSystemMXBean os =
          (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      long rounds = increments / group;
      long cpu0 = os.getProcessCpuTime();
      long thread0 = threads.getCurrentThreadCpuTime();
      long allocated0 = threads.getCurrentThreadAllocatedBytes();
      long wall0 = System.nanoTime();
      drive(replica, groups, rounds);
      long wall = System.nanoTime() - wall0;
      long cpu = os.getProcessCpuTime() - cpu0;
      long thread = threads.getCurrentThreadCpuTime() - thread0;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocated0;
      long done = rounds * group;
      System.out.printf(
          "%-6d %12d %10.2f %16.0f %16.0f %14.0f %14.0f%n",
          group,
          done,
          wall / 1e9,
          done / (wall / 1e9),
          done / (cpu / 1e9),
          100.0 * thread / wall,
          (double) allocated / done);
    } finally {
      deleteTree(dir);
    }
  }

  private static void drive(Replica replica, List<List<Command>> groups, long rounds) {
    for (long r = 0; r < rounds; r++) {
      List<Command> g = groups.get((int) (r % groups.size()));
      if (g.size() == 1) {
        replica.execute(g.get(0), NOWHERE);
      } else {
        replica.executeAll(g, NOWHERE);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
