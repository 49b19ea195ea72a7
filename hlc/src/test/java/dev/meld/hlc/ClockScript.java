package dev.meld.hlc;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * A generated single-threaded history for one clock: where the wall clock starts, the drift limit,
 * and a list of steps, each moving the wall clock and then calling {@code now()} or {@code
 * update(remote)}. {@link #run} plays it against a real clock and returns one {@link Event} per
 * call, which the properties then judge.
 */
record ClockScript(long startWall, long maxDrift, List<ClockScript.Step> steps) {

  /**
   * Keeps generated wall times far below {@link HlcTimestamp#MAX_MILLIS}: exhaustion has its own
   * unit test.
   */
  static final long WALL_LIMIT = 1L << 44;

  /**
   * Move the wall clock by {@code wallStep} (clamped to {@code 0..WALL_LIMIT}), then call the clock
   * {@code repeat} times: {@code now()}, or {@code update(remote)} with a remote whose millis are
   * {@code wall + maxDrift + remoteSkew} (clamped to valid millis), so a skew of at most 0 is
   * within bounds and above 0 is clamped.
   */
  record Step(long wallStep, boolean update, long remoteSkew, int remoteLogical, int repeat) {}

  /**
   * One call as it happened: the wall reading, the highest reading so far, the remote ({@code -1}
   * for {@code now()}), the clock's {@code last()} before the call, and the stamp it returned.
   */
  record Event(long wall, long maxWall, long remote, long before, long stamp) {
    boolean isUpdate() {
      return remote >= 0;
    }
  }

  static Gen<ClockScript> scripts() {
    return scripts(longs().between(0, WALL_LIMIT / 16), 60);
  }

  static Gen<ClockScript> scripts(Gen<Long> startWalls, int maxSteps) {
    Gen<Long> drifts = longs().between(0, 5).mix(longs().between(0, 120_000));
    return startWalls.zip(
        drifts, lists().of(anyStep()).ofSizeBetween(1, maxSteps), ClockScript::new);
  }

  private static Gen<Step> anyStep() {
    Gen<Long> wallSteps =
        Generate.frequency(
            weighted(6, longs().between(0, 3)),
            weighted(2, longs().between(-3_000, 0)),
            weighted(1, longs().between(0, 1_000_000_000)),
            weighted(1, longs().between(-1_000_000_000, 0)));
    Gen<Long> skews =
        Generate.frequency(
            weighted(3, longs().between(-2_000, 0)),
            weighted(2, longs().between(-1, 1)),
            weighted(2, longs().between(1, 5_000)),
            weighted(1, longs().between(1, HlcTimestamp.MAX_MILLIS)),
            weighted(1, longs().between(-HlcTimestamp.MAX_MILLIS, -2_000)));
    Gen<Integer> logicals =
        Generate.frequency(
            weighted(2, integers().between(0, 3)),
            weighted(2, integers().between(HlcTimestamp.MAX_LOGICAL - 1, HlcTimestamp.MAX_LOGICAL)),
            weighted(1, integers().between(0, HlcTimestamp.MAX_LOGICAL)));
    // Rare bursts longer than one counter's worth exercise borrowing several milliseconds in a row.
    Gen<Integer> repeats =
        Generate.frequency(
            weighted(199, integers().between(1, 3)),
            weighted(
                1, integers().between(HlcTimestamp.MAX_LOGICAL, HlcTimestamp.MAX_LOGICAL + 3_000)));
    return wallSteps.zip(
        booleans().all(),
        skews,
        logicals.zip(repeats, (l, r) -> new int[] {l, r}),
        (wallStep, update, skew, lr) -> new Step(wallStep, update, skew, lr[0], lr[1]));
  }

  private static <T> Pair<Integer, Gen<T>> weighted(int weight, Gen<T> gen) {
    return Pair.of(weight, gen);
  }

  /** A script played on a fresh clock: the clock afterwards and one event per call. */
  record Played(ClockScript script, HybridLogicalClock clock, List<Event> events) {}

  /** Plays the script on a new clock over a new {@link ManualClock}. */
  Played play() {
    ManualClock wall = new ManualClock(startWall);
    HybridLogicalClock clock = new HybridLogicalClock(wall, maxDrift);
    return new Played(this, clock, run(clock, wall));
  }

  /**
   * Plays the script against {@code clock}, which must read {@code wall}; {@code wall} starts at
   * startWall.
   */
  List<Event> run(HybridLogicalClock clock, ManualClock wall) {
    wall.set(startWall);
    long maxWall = startWall;
    List<Event> events = new ArrayList<>();
    for (Step step : steps) {
      long now = Math.max(0, Math.min(WALL_LIMIT, wall.currentTimeMillis() + step.wallStep()));
      wall.set(now);
      maxWall = Math.max(maxWall, now);
      for (int i = 0; i < step.repeat(); i++) {
        long before = clock.last();
        if (step.update()) {
          long remote = remote(now, step);
          events.add(new Event(now, maxWall, remote, before, clock.update(remote)));
        } else {
          events.add(new Event(now, maxWall, -1, before, clock.now()));
        }
      }
    }
    return events;
  }

  /** The remote stamp a step sends when the wall clock reads {@code wall}. */
  long remote(long wall, Step step) {
    long millis =
        Math.max(0, Math.min(HlcTimestamp.MAX_MILLIS, wall + maxDrift + step.remoteSkew()));
    return HlcTimestamp.pack(millis, step.remoteLogical());
  }

  /**
   * Whether a remote is beyond the drift bound at wall time {@code wall}, computed from the
   * definition.
   */
  boolean beyondBound(long wall, long remote) {
    return HlcTimestamp.millis(remote) > wall + maxDrift;
  }
}
