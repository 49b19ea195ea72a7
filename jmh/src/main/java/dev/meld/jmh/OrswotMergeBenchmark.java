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
 * Full-state merge of an add-wins observed-remove set: two sides holding {@code size} elements,
 * each side the converged state of five replicas (replica {@code i % 5} added element {@code i}),
 * merged independently (in opposite orders) so that they are equal but distinct instances. This is
 * the steady state of full-state anti-entropy: a peer's whole state arrives and every element's
 * dots must be compared. One method per library; a {@code meld} method over Meld's {@code Orswot}
 * with the same scenario goes beside {@link #pekko}.
 *
 * <p>Run: {@code mvn -B -q -pl jmh -am package -DskipTests && java -jar jmh/target/benchmarks.jar
 * OrswotMergeBenchmark -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
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

  @Benchmark
  public void pekko(PekkoSides sides, Blackhole bh) {
    bh.consume(sides.left.merge(sides.right));
  }
}
