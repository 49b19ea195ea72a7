package dev.meld.jmh;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.ddata.PNCounter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Full-state merge of two positive-negative counters over five replicas, built independently. Each
 * side has the newer count from some replicas: the left is ahead for replicas 3 and 4, the right
 * for replicas 0, 1 and 2, so the merge takes entries from both and equals neither. Both methods
 * measure the pure merge, which returns a new counter and changes neither side: Pekko's {@code
 * PNCounter.merge} and Meld's {@code PNCounter.merge} (Meld's counter also carries the reset
 * vectors of its observed-reset semantics; here they are empty on both sides, as they are until
 * someone resets).
 *
 * <p>Run: {@code mvn -B -q -pl jmh -am package -DskipTests && java -jar jmh/target/benchmarks.jar
 * PnCounterMergeBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PnCounterMergeBenchmark {

  /** Per replica 0..4: increments and decrements as each side has seen them. */
  static final long[] LEFT_INCREMENTS = {1_000, 2_000, 3_000, 4_500, 5_500};

  static final long[] LEFT_DECREMENTS = {100, 200, 300, 450, 550};
  static final long[] RIGHT_INCREMENTS = {1_100, 2_200, 3_300, 4_000, 5_000};
  static final long[] RIGHT_DECREMENTS = {110, 220, 330, 400, 500};

  /** (1100 + 2200 + 3300 + 4500 + 5500) - (110 + 220 + 330 + 450 + 550) = 16600 - 1660. */
  static final long MERGED_VALUE = 14_940;

  /** Pekko's {@code PNCounter} inputs. */
  @State(Scope.Benchmark)
  public static class PekkoSides {
    PNCounter left;
    PNCounter right;

    @Setup(Level.Trial)
    public void build() {
      left = PekkoReplicas.counter(LEFT_INCREMENTS, LEFT_DECREMENTS);
      right = PekkoReplicas.counter(RIGHT_INCREMENTS, RIGHT_DECREMENTS);
      Checks.require(
          left.merge(right).getValue().equals(BigInteger.valueOf(MERGED_VALUE)),
          "the merge takes both sides");
    }
  }

  /** Meld's {@code PNCounter} inputs. */
  @State(Scope.Benchmark)
  public static class MeldSides {
    dev.meld.crdt.PNCounter left;
    dev.meld.crdt.PNCounter right;

    @Setup(Level.Trial)
    public void build() {
      left = MeldReplicas.counter(LEFT_INCREMENTS, LEFT_DECREMENTS);
      right = MeldReplicas.counter(RIGHT_INCREMENTS, RIGHT_DECREMENTS);
      dev.meld.crdt.PNCounter merged = left.merge(right);
      Checks.require(
          merged.value() == MERGED_VALUE && !merged.equals(left) && !merged.equals(right),
          "the merge takes both sides");
    }
  }

  @Benchmark
  public void pekko(PekkoSides sides, Blackhole bh) {
    bh.consume(sides.left.merge(sides.right));
  }

  @Benchmark
  public void meld(MeldSides sides, Blackhole bh) {
    bh.consume(sides.left.merge(sides.right));
  }
}
