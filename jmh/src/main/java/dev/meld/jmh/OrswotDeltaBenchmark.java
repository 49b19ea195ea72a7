package dev.meld.jmh;

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
 * Applying a one-element delta to an add-wins observed-remove set of {@code size} elements: the
 * target is the converged state of five replicas (replica {@code i % 5} added element {@code i});
 * an independently merged equal copy of it, with its delta reset, adds one new element at replica
 * 0, and that add's delta is applied to the target. The cost should follow the delta, not the set:
 * compare the two sizes. One method per library; a {@code meld} method over Meld's {@code Orswot}
 * with the same scenario goes beside {@link #pekko}.
 *
 * <p>Run: {@code mvn -B -q -pl jmh -am package -DskipTests && java -jar jmh/target/benchmarks.jar
 * OrswotDeltaBenchmark -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OrswotDeltaBenchmark {

  /**
   * Pekko's {@code ORSet} inputs: the target and the delta of one add ({@code resetDelta}, {@code
   * add}, {@code delta}).
   */
  @State(Scope.Benchmark)
  public static class PekkoInputs {
    @Param({"1000", "100000"})
    public int size;

    ORSet<String> target;
    ORSet.DeltaOp delta;

    @Setup(Level.Trial)
    public void build() {
      List<ORSet<String>> replicas = PekkoReplicas.replicaSets(size);
      target = PekkoReplicas.converged(replicas, false);
      ORSet<String> source = PekkoReplicas.converged(replicas, true).resetDelta();
      delta = source.add(PekkoReplicas.replica(0), PekkoReplicas.element(size)).delta().get();
      ORSet<String> applied = target.mergeDelta(delta);
      Checks.require(
          applied.size() == size + 1 && applied.contains(PekkoReplicas.element(size)),
          "the delta adds exactly the new element");
    }
  }

  @Benchmark
  public void pekko(PekkoInputs in, Blackhole bh) {
    bh.consume(in.target.mergeDelta(in.delta));
  }
}
