package dev.meld.jmh;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.Outbox;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.store.RocksRecordStore;
import dev.meld.node.store.RocksStoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Committed counter increments per second through {@link Replica} on RocksDB: one thread, the
 * write-ahead log on, no fsync per commit (the store's default: a commit survives a process crash).
 * Each increment is read, merged, logged and committed with the clock's high-water mark, and the
 * digest tree is updated, exactly as a client's {@code INCRBY} would be on a single-node cluster.
 *
 * <ul>
 *   <li>{@code single}: one {@code execute} per increment, one store batch each.
 *   <li>{@code group16}, {@code group64}: {@code executeAll} of 16 or 64 increments, one batch per
 *       group (group commit); scores are per increment.
 * </ul>
 *
 * Increments cycle over 1,000 counter keys. The commands are built in setup. Run:
 *
 * <pre>
 * mvn -B -q -pl jmh -am package -DskipTests &amp;&amp; java -jar jmh/target/benchmarks.jar ReplicaIncrementBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ReplicaIncrementBenchmark {

  private static final int KEYS = 1_000;
  private static final Outbox NOWHERE = (to, message) -> {};

  private Path dir;
  private Replica replica;
  private final List<Command> singles = new ArrayList<>();
  private final List<List<Command>> groups16 = new ArrayList<>();
  private final List<List<Command>> groups64 = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("meld-replica-bench");
    RocksRecordStore store =
        RocksRecordStore.open(dir, KeyHashing::keyHash64, RocksStoreOptions.DEFAULTS);
    if (RocksStoreOptions.DEFAULTS.syncWrites()) {
      throw new IllegalStateException("expected: no fsync per commit");
    }
    replica =
        Replica.open(
            ReplicaConfig.builder("bench").build(),
            store,
            PhysicalClock.system(),
            new SplittableRandom(1));
    for (int i = 0; i < KEYS; i++) {
      singles.add(new Command.Increment(Bytes.utf8("counter:" + i), 1));
    }
    for (int i = 0; i < KEYS; i++) {
      groups16.add(group(i, 16));
      groups64.add(group(i, 64));
    }
    Reply check = replica.execute(singles.get(0), NOWHERE);
    if (!(check instanceof Reply.Int value) || value.value() != 1 || value.seq() < 1) {
      throw new IllegalStateException("expected a committed increment, got " + check);
    }
  }

  private List<Command> group(int start, int size) {
    List<Command> g = new ArrayList<>(size);
    for (int j = 0; j < size; j++) {
      g.add(singles.get((start + j) % KEYS));
    }
    return g;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    replica.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(ReplicaIncrementBenchmark::delete);
    }
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int nextIndex() {
    int i = next;
    next = i + 1 == KEYS ? 0 : i + 1;
    return i;
  }

  @Benchmark
  public Reply single() {
    return replica.execute(singles.get(nextIndex()), NOWHERE);
  }

  @Benchmark
  @OperationsPerInvocation(16)
  public List<Reply> group16() {
    return replica.executeAll(groups16.get(nextIndex()), NOWHERE);
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public List<Reply> group64() {
    return replica.executeAll(groups64.get(nextIndex()), NOWHERE);
  }
}
