package dev.meld.hlc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The multi-threaded law of {@link HybridLogicalClock}: two to four threads call {@code now()} and
 * {@code update(r)} on one clock at once while another thread moves its {@link ManualClock}
 * forwards and backwards.
 *
 * <p>Replaying a seed regenerates the same inputs; the thread interleaving is up to the scheduler.
 */
@ExtendWith(Props.class)
class HybridLogicalClockConcurrencyPropertiesTest {

  /** Marks a {@code now()} call in a generated caller script; any other value is a remote skew. */
  private static final long NOW = Long.MIN_VALUE;

  private static final int MAX_CALLERS = 4;

  private static ExecutorService pool;

  /**
   * One generated run: start of the wall clock, drift limit, each caller's calls, the mover's
   * steps.
   */
  record Run(long startWall, long maxDrift, List<List<Long>> callers, List<Long> wallMoves) {

    long remote(long skew) {
      long millis = Math.max(0, Math.min(HlcTimestamp.MAX_MILLIS, startWall + maxDrift + skew));
      return HlcTimestamp.pack(millis, (int) Math.floorMod(skew, HlcTimestamp.MAX_LOGICAL + 1));
    }
  }

  @BeforeAll
  static void startPool() {
    pool =
        Executors.newFixedThreadPool(
            MAX_CALLERS + 1,
            runnable -> {
              Thread thread = new Thread(runnable, "hlc-property");
              thread.setDaemon(true);
              return thread;
            });
  }

  @AfterAll
  static void stopPool() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }

  /**
   * Law (monotonic across threads): each thread's stamps strictly increase, no stamp is issued
   * twice, {@code last()} ends at the highest stamp, {@code update(r) > r} for every remote within
   * bounds at every wall reading of the run, and {@code clampCount()} lies between the remotes
   * beyond bounds at every reading and those beyond bounds at some reading.
   */
  @Test
  void concurrentCallersGetStrictlyIncreasingDistinctStamps() {
    Gen<Long> calls =
        Generate.frequency(
            Pair.of(3, Generate.constant(NOW)),
            Pair.of(3, longs().between(-3_000, 3_000)),
            Pair.of(1, longs().between(3_000, 1_000_000_000)));
    Gen<Run> runs =
        longs()
            .between(1_000_000_000_000L, 2_000_000_000_000L)
            .zip(
                longs().between(0, 5).mix(longs().between(0, 5_000)),
                lists().of(lists().of(calls).ofSizeBetween(50, 400)).ofSizeBetween(2, MAX_CALLERS),
                lists().of(longs().between(-2_000, 2_000)).ofSizes(integers().between(0, 200)),
                Run::new);
    Props.qt().forAll(runs).checkAssert(HybridLogicalClockConcurrencyPropertiesTest::check);
  }

  private static void check(Run run) {
    ManualClock wall = new ManualClock(run.startWall());
    HybridLogicalClock clock = new HybridLogicalClock(wall, run.maxDrift());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> callers = new ArrayList<>();
    for (List<Long> calls : run.callers()) {
      callers.add(
          pool.submit(
              () -> {
                start.await();
                long[] stamps = new long[calls.size()];
                for (int i = 0; i < stamps.length; i++) {
                  long call = calls.get(i);
                  stamps[i] = call == NOW ? clock.now() : clock.update(run.remote(call));
                }
                return stamps;
              }));
    }
    Future<long[]> mover =
        pool.submit(
            () -> {
              start.await();
              long min = run.startWall();
              long max = min;
              for (long move : run.wallMoves()) {
                long next = wall.advance(move);
                min = Math.min(min, next);
                max = Math.max(max, next);
                Thread.yield();
              }
              return new long[] {min, max};
            });
    start.countDown();

    long[][] stamps = new long[callers.size()][];
    long[] wallRange;
    try {
      for (int t = 0; t < stamps.length; t++) {
        stamps[t] = callers.get(t).get(30, TimeUnit.SECONDS);
      }
      wallRange = mover.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("a caller failed or hung", e);
    }

    long highest = 0;
    for (int t = 0; t < stamps.length; t++) {
      StampChecks.strictlyIncreasing("thread " + t, stamps[t]);
      highest = Math.max(highest, stamps[t][stamps[t].length - 1]);
    }
    StampChecks.allDistinct(stamps);
    if (clock.last() != highest) {
      fail("last() " + clock.last() + " (expected: the highest stamp " + highest + ")");
    }

    long surelyClamped = 0;
    long maybeClamped = 0;
    for (int t = 0; t < stamps.length; t++) {
      List<Long> calls = run.callers().get(t);
      for (int i = 0; i < stamps[t].length; i++) {
        if (calls.get(i) == NOW) {
          continue;
        }
        long remoteMillis = HlcTimestamp.millis(run.remote(calls.get(i)));
        if (remoteMillis > wallRange[1] + run.maxDrift()) {
          surelyClamped++;
        }
        if (remoteMillis > wallRange[0] + run.maxDrift()) {
          maybeClamped++;
        } else if (stamps[t][i] <= run.remote(calls.get(i))) {
          fail(
              "thread "
                  + t
                  + " call "
                  + i
                  + ": update("
                  + HlcTimestamp.toString(run.remote(calls.get(i)))
                  + ") returned "
                  + HlcTimestamp.toString(stamps[t][i])
                  + ", not after the in-bounds remote");
        }
      }
    }
    if (clock.clampCount() < surelyClamped || clock.clampCount() > maybeClamped) {
      fail(
          "clampCount "
              + clock.clampCount()
              + " (expected: "
              + surelyClamped
              + ".."
              + maybeClamped
              + ")");
    }
  }
}
