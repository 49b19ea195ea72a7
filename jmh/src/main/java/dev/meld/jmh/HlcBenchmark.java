package dev.meld.jmh;

import dev.meld.hlc.HybridLogicalClock;
import dev.meld.hlc.PhysicalClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of a hybrid logical clock stamp next to the wall-clock read it is built on: {@code
 * System.currentTimeMillis()}, {@link HybridLogicalClock#now()}, {@link
 * HybridLogicalClock#update(long)} with a remote stamp from a peer slightly behind (the common case
 * on receive), and {@code now()} from two threads at once on one clock (compare-and-set
 * contention).
 *
 * <p>Run: {@code mvn -B -q -pl jmh -am package -DskipTests && java -jar jmh/target/benchmarks.jar
 * HlcBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class HlcBenchmark {

  private HybridLogicalClock clock;
  private long remoteBehind;

  @Setup
  public void setUp() {
    clock = new HybridLogicalClock(PhysicalClock.system(), 60_000);
    // A peer one second behind: update() must still compare it and move past the local stamp.
    HybridLogicalClock peer =
        new HybridLogicalClock(() -> System.currentTimeMillis() - 1_000, 60_000);
    remoteBehind = peer.now();
  }

  @Benchmark
  public void systemCurrentTimeMillis(Blackhole bh) {
    bh.consume(System.currentTimeMillis());
  }

  @Benchmark
  public void hlcNow(Blackhole bh) {
    bh.consume(clock.now());
  }

  @Benchmark
  public void hlcUpdate(Blackhole bh) {
    bh.consume(clock.update(remoteBehind));
  }

  @Benchmark
  @Threads(2)
  public void hlcNowTwoThreads(Blackhole bh) {
    bh.consume(clock.now());
  }
}
