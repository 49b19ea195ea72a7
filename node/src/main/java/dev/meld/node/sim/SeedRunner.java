package dev.meld.node.sim;

import dev.meld.node.Misbehavior;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Runs many seeds, each an independent single-threaded {@link Simulation}, spread over a few
 * threads (runs share nothing, so this changes no run). Used by the test suite and {@link
 * SimulationMain}.
 */
public final class SeedRunner {

  /**
   * What a batch of seeds gave.
   *
   * @param seeds seeds run
   * @param failures the failed runs, by seed
   * @param millis wall-clock time taken
   */
  public record Summary(long seeds, List<SimResult> failures, long millis) {

    /** Simulated seeds per minute of wall-clock time. */
    public double seedsPerMinute() {
      return millis == 0 ? 0 : seeds * 60_000.0 / millis;
    }
  }

  private SeedRunner() {}

  /**
   * Runs seeds {@code first}, {@code first + 1}, ... ({@code count} of them) with {@code
   * misbehaviors} on {@code threads} threads. With {@code stopWhen} non-null, stops as soon as a
   * result satisfies it (seeds already running finish).
   */
  public static Summary run(
      long first,
      long count,
      Set<Misbehavior> misbehaviors,
      int threads,
      Predicate<SimResult> stopWhen) {
    if (count < 0 || threads < 1) {
      throw new IllegalArgumentException(
          "count: " + count + ", threads: " + threads + " (expected: count >= 0, threads >= 1)");
    }
    long started = System.nanoTime();
    List<SimResult> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicLong next = new AtomicLong(first);
    AtomicLong ran = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  long seed;
                  while (!stop.get() && (seed = next.getAndIncrement()) < first + count) {
                    SimResult result;
                    try {
                      result = Simulation.run(seed, misbehaviors, Trace.silent());
                    } catch (RuntimeException e) {
                      throw new IllegalStateException("seed " + seed + ": the simulator threw", e);
                    }
                    ran.incrementAndGet();
                    if (!result.passed()) {
                      failures.add(result);
                    }
                    if (stopWhen != null && stopWhen.test(result)) {
                      stop.set(true);
                    }
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a simulation run threw", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<SimResult> sorted = new ArrayList<>(failures);
    sorted.sort((a, b) -> Long.compare(a.scenario().seed(), b.scenario().seed()));
    return new Summary(ran.get(), sorted, (System.nanoTime() - started) / 1_000_000);
  }
}
