package dev.meld.jmh;

import dev.meld.crdt.Orswot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.ddata.ORSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Full-state merge of an add-wins observed-remove set: two sides holding {@code size} elements,
 * each side the converged state of five replicas (replica {@code i % 5} added element {@code i}),
 * merged independently (in opposite orders) so that they are equal but distinct instances. This is
 * the steady state of full-state anti-entropy: a peer's whole state arrives and every element's
 * dots must be compared. Both libraries hold the same {@code String} elements.
 *
 * <ul>
 *   <li>{@link #pekko}: {@code ORSet.merge}, which returns a new set (Pekko's sets are immutable).
 *   <li>{@link #meld}: {@code Orswot.merge}, which also returns a new set and changes neither side:
 *       a copy of the left side and a {@code mergeFrom} of the right into it. This is the
 *       like-for-like comparison with Pekko, both paying for a new state.
 *   <li>{@link #meldMergeFrom}: {@code left.mergeFrom(right)} in place, without the copy: what a
 *       node does when a peer's full state arrives (it merges into the state it has just read from
 *       its store). The sides are equal, so the merge changes nothing and every call does the same
 *       work: all dots compared. Pekko has no in-place merge to put beside it.
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl jmh -am package -DskipTests && java -jar jmh/target/benchmarks.jar
 * OrswotMergeBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class OrswotMergeBenchmark {

  /** Pekko's {@code ORSet} inputs. */
  @State(Scope.Benchmark)
  public static class PekkoSides {
    @Param({"100", "1000", "10000"})
    public int size;

    ORSet<String> left;
    ORSet<String> right;

    @Setup(Level.Trial)
    public void build() {
      List<ORSet<String>> replicas = PekkoReplicas.replicaSets(size);
      left = PekkoReplicas.converged(replicas, false);
      right = PekkoReplicas.converged(replicas, true);
      Checks.require(
          left != right && left.equals(right) && left.size() == size, "two equal, distinct sides");
    }
  }

  /** Meld's {@code Orswot<String>} inputs. */
  @State(Scope.Benchmark)
  public static class MeldSides {
    @Param({"100", "1000", "10000"})
    public int size;

    Orswot<String> left;
    Orswot<String> right;

    @Setup(Level.Trial)
    public void build() {
      List<Orswot<String>> replicas = MeldReplicas.replicaSets(size);
      left = MeldReplicas.converged(replicas, false);
      right = MeldReplicas.converged(replicas, true);
      Checks.require(
          left != right && left.equals(right) && left.size() == size, "two equal, distinct sides");
      Orswot<String> merged = left.merge(right);
      Checks.require(
          merged != left && merged.equals(left) && !left.mergeFrom(right),
          "merging the equal sides gives an equal new set and changes nothing in place");
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

  @Benchmark
  public void meldMergeFrom(MeldSides sides, Blackhole bh) {
    bh.consume(sides.left.mergeFrom(sides.right));
  }
}
