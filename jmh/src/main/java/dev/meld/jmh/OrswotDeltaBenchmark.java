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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Applying a one-element add delta to an add-wins observed-remove set of {@code size} elements. The
 * target is the converged state of five replicas (replica {@code i % 5} added element {@code i});
 * an independently merged equal copy of it, acting as replica 0, adds the new elements {@code
 * "element-<size>"}, {@code "element-<size + 1>"}, ..., and each add's delta is applied to the
 * target in order: {@code mergeDelta} for Pekko (which returns the new target), {@code mergeFrom}
 * in place for Meld. The same deltas, the same order, the same targets. The cost should follow the
 * delta, not the set: compare the two sizes.
 *
 * <p>Run: {@code mvn -B -q -pl jmh -am package -DskipTests && java -jar jmh/target/benchmarks.jar
 * OrswotDeltaBenchmark}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
public class OrswotDeltaBenchmark {
  /*
   * Why single-shot batches instead of an average over a time window. A delta carries a fresh dot,
   * and a dot applied once is never new again: applying the same delta a second time does nothing,
   * so a loop over one delta would measure a no-op. Every call therefore applies the next of a
   * prepared run of BATCH deltas. A run cannot be endless, so each measured iteration is one batch
   * of exactly BATCH calls (JMH's SingleShotTime with batchSize, as in its JMHSample_26), preceded
   * by an untimed reset of the target (Meld: a copy of the base set; Pekko: the immutable base set
   * itself) and of the position in the run. OperationsPerInvocation turns the batch time into time
   * per delta. The setup refuses another batch size (from -bs or -wbs), which would index past the
   * deltas or misreport the time per delta.
   *
   * Every delta adds an element the target does not hold, as a fresh add does. (Re-adding one
   * element would keep the target's size fixed, but it takes a slower path in Pekko: its add-delta
   * merge then concatenates the whole element map onto a one-element map, about 5x its fresh-add
   * cost at 100,000 elements.) During a batch the target grows from size to size + BATCH elements,
   * 10% at 1,000 and 0.1% at 100,000, the same for both libraries.
   *
   * Warming up. A batch at 1,000 elements lasts well under a millisecond, so counted warmup
   * batches alone are over before the JIT compiler has finished with the path on a loaded 2-core
   * machine (Meld then measured slower at 1,000 elements than at 100,000). So each trial's setup
   * first runs the same scenario at PREWARM_SIZE elements, untimed, for PREWARM_SECONDS: whole
   * batches, each on a freshly reset target, the same for both libraries and both sizes. It runs
   * at the small size whatever the measured size, because at 100,000 elements each of Meld's
   * resets copies the whole set, and 3 s of those leave only a few thousand delta applications.
   * JMH's warmup batches on the measured size follow.
   * Pekko's batch at 100,000 elements takes a quarter of a second or more, so it runs fewer
   * iterations than Meld; Meld's short batches need more of them to even out noise.
   */

  static final int BATCH = 100;
  static final int PREWARM_SECONDS = 3;
  static final int PREWARM_SIZE = 1_000;

  static long prewarmDeadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(PREWARM_SECONDS);
  }

  /** Pekko's {@code ORSet} inputs: the target and a run of add deltas. */
  @State(Scope.Benchmark)
  public static class PekkoInputs {
    @Param({"1000", "100000"})
    public int size;

    ORSet<String> base;
    ORSet.DeltaOp[] deltas;
    ORSet<String> target;
    int next;

    @Setup(Level.Trial)
    public void build(BenchmarkParams params) {
      requireBatch(params, BATCH);
      prepare();
      PekkoInputs warm = new PekkoInputs();
      warm.size = PREWARM_SIZE;
      warm.prepare();
      for (long end = prewarmDeadline(); System.nanoTime() < end; ) {
        warm.reset();
        while (warm.next < BATCH) {
          warm.target = warm.target.mergeDelta(warm.deltas[warm.next++]);
        }
      }
    }

    /** Builds the base set and the deltas, and checks that they are the scenario. */
    void prepare() {
      List<ORSet<String>> replicas = PekkoReplicas.replicaSets(size);
      base = PekkoReplicas.converged(replicas, false);
      ORSet<String> source = PekkoReplicas.converged(replicas, true);
      deltas = new ORSet.DeltaOp[BATCH];
      for (int i = 0; i < deltas.length; i++) {
        source = source.resetDelta().add(PekkoReplicas.replica(0), PekkoReplicas.element(size + i));
        deltas[i] = source.delta().get();
      }
      ORSet<String> applied = base;
      for (ORSet.DeltaOp delta : deltas) {
        applied = applied.mergeDelta(delta);
      }
      Checks.require(
          applied.size() == size + BATCH && applied.equals(source.resetDelta()),
          "the deltas add the new elements, leaving the target equal to their source");
    }

    @Setup(Level.Iteration)
    public void reset() {
      target = base;
      next = 0;
    }
  }

  /** Meld's {@code Orswot<String>} inputs: the target and a run of add deltas. */
  @State(Scope.Benchmark)
  public static class MeldInputs {
    @Param({"1000", "100000"})
    public int size;

    Orswot<String> base;
    Orswot<String>[] deltas;
    Orswot<String> target;
    int next;

    @Setup(Level.Trial)
    public void build(BenchmarkParams params) {
      requireBatch(params, BATCH);
      prepare();
      MeldInputs warm = new MeldInputs();
      warm.size = PREWARM_SIZE;
      warm.prepare();
      for (long end = prewarmDeadline(); System.nanoTime() < end; ) {
        warm.reset();
        while (warm.next < BATCH) {
          warm.target.mergeFrom(warm.deltas[warm.next++]);
        }
      }
    }

    /** Builds the base set and the deltas, and checks that they are the scenario. */
    @SuppressWarnings("unchecked")
    void prepare() {
      List<Orswot<String>> replicas = MeldReplicas.replicaSets(size);
      base = MeldReplicas.converged(replicas, false);
      Orswot<String> source = MeldReplicas.converged(replicas, true);
      deltas = new Orswot[BATCH];
      for (int i = 0; i < deltas.length; i++) {
        deltas[i] = source.add(MeldReplicas.replica(0), PekkoReplicas.element(size + i));
      }
      Orswot<String> applied = base.copy();
      boolean everyDeltaChanges = true;
      for (Orswot<String> delta : deltas) {
        everyDeltaChanges &= applied.mergeFrom(delta);
      }
      Checks.require(
          everyDeltaChanges && applied.size() == size + BATCH && applied.equals(source),
          "every delta adds its element, leaving the target equal to their source");
    }

    @Setup(Level.Iteration)
    public void reset() {
      target = base.copy();
      next = 0;
    }
  }

  static void requireBatch(BenchmarkParams params, int batch) {
    Checks.require(
        params.getWarmup().getBatchSize() == batch
            && params.getMeasurement().getBatchSize() == batch,
        "batch size " + batch + " for " + params.getBenchmark() + ", not overridden by -bs/-wbs");
  }

  @Benchmark
  @Warmup(iterations = 5, batchSize = BATCH)
  @Measurement(iterations = 15, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  public void pekko(PekkoInputs in, Blackhole bh) {
    in.target = in.target.mergeDelta(in.deltas[in.next++]);
    bh.consume(in.target);
  }

  @Benchmark
  @Warmup(iterations = 100, batchSize = BATCH)
  @Measurement(iterations = 50, batchSize = BATCH)
  @OperationsPerInvocation(BATCH)
  public void meld(MeldInputs in, Blackhole bh) {
    bh.consume(in.target.mergeFrom(in.deltas[in.next++]));
  }
}
