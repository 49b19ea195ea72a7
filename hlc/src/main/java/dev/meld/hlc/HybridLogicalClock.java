package dev.meld.hlc;

import static dev.meld.hlc.HlcTimestamp.LOGICAL_BITS;
import static dev.meld.hlc.HlcTimestamp.MAX_MILLIS;
import static dev.meld.hlc.HlcTimestamp.MAX_VALUE;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A hybrid logical clock (Kulkarni et al. 2014): timestamps that follow the wall clock, never run
 * backwards, and order every local event after every remote event it has {@linkplain #update(long)
 * seen}. Timestamps are packed longs, see {@link HlcTimestamp}.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Monotonic.</b> Every stamp returned by {@link #now()} or {@link #update(long)} is
 *       strictly greater than every stamp returned before it, across all threads, and than the
 *       high-water mark it was {@linkplain #restore restored} from, whatever the wall clock does.
 *       Thread-safe without locks: one compare-and-set on an {@link AtomicLong} per stamp.
 *   <li><b>Causal.</b> {@code update(r) > r} for every remote stamp {@code r} within the drift
 *       bound below.
 *   <li><b>Close to the wall clock.</b> A stamp {@code s} issued while the wall clock read {@code
 *       w} has {@code millis(s) >= w}, and {@code millis(s) <= W + maxDriftMillis + ceil(k /
 *       65536)}, where {@code W} is the highest wall reading the clock has taken and {@code k >= 1}
 *       counts the stamps issued since the clock last jumped forward (to the wall clock, to a
 *       remote stamp, or to the drift bound), {@code s} included. The {@code ceil(k / 65536)} term
 *       is logical-counter overflow: a full counter borrows the next millisecond rather than
 *       wrapping, so fewer than 65,536 stamps per jump add at most one millisecond. After a {@link
 *       #restore}, stamps chained from the high-water mark are also allowed up to {@code
 *       millis(highWaterMark) + ceil(k / 65536)}.
 *   <li><b>Drift-limited.</b> A remote stamp whose milliseconds exceed {@code wall +
 *       maxDriftMillis} is not adopted: the local clock moves at most to {@code pack(wall +
 *       maxDriftMillis, 0)}, the stamp returned may be below the remote one, and the event is
 *       counted in {@link #clampCount()}. One peer with a clock years ahead cannot drag the
 *       cluster's timestamps along with it.
 * </ul>
 *
 * <h2>Persisting the high-water mark</h2>
 *
 * A restarted process must not issue a stamp at or below one it issued before the restart:
 * last-writer-wins registers would let the older write win. {@link #restore} builds a clock whose
 * stamps all exceed a persisted high-water mark, even when the wall clock is now behind it. Two
 * ways to keep that mark:
 *
 * <ol>
 *   <li><b>Persist {@link #last()} with each durable batch.</b> Read {@code last()} after stamping
 *       the batch's writes and store it in the same atomic commit. Every stamp inside durable state
 *       is then at or below the persisted mark, so after a crash no durable write is ever
 *       out-stamped by a restarted clock's write. Stamps that were issued but never made durable
 *       may be issued again; that is harmless as long as nothing outside the process saw them (in
 *       Meld a write is acknowledged and replicated only after its commit).
 *   <li><b>Reserve ahead.</b> Persist a ceiling {@code C} above {@code last()} (e.g. {@code
 *       pack(wall + 10_000, 0)}) before using any stamp {@code >= C}: after taking a stamp, compare
 *       it with the persisted ceiling, and if it is not below, durably store a new ceiling above it
 *       before using the stamp. After a restart, {@code restore(..., C)}. This covers every stamp
 *       ever used, durable or not, and costs one write per reservation instead of one per batch;
 *       the price is that a restarted clock may run up to the reservation ahead of the wall clock
 *       until the wall clock catches up.
 * </ol>
 *
 * Either way the mark must be written before the stamps it covers become visible, and read back
 * before the restarted clock issues its first stamp.
 */
public final class HybridLogicalClock {

  /*
   * The paper keeps (l, c) as two fields and has a case analysis per event. Packing l into the high bits and c
   * into the low bits turns every case into one max over longs, because "pack(l, c) + 1" is exactly "same l,
   * next c" and, when c is full, "next l, c = 0" (the borrow):
   *
   *   now():      next = max(last + 1, pack(wall, 0))
   *   update(r):  next = max(last + 1, pack(wall, 0), r + 1)          if millis(r) <= wall + maxDrift
   *               next = max(last + 1, pack(wall + maxDrift, 0))       otherwise (clamped, counted)
   *
   * Worked example, maxDrift = 500: last = (1000, 3), wall = 1000.
   *   now()               -> max((1000, 4), (1000, 0))               = (1000, 4)
   *   update((1200, 7))   -> max((1000, 5), (1000, 0), (1200, 8))    = (1200, 8)   adopted: 1200 <= 1500
   *   update((9999, 0))   -> max((1200, 9), (1500, 0))               = (1500, 0)   clamped, counted
   *   wall = 2000, now()  -> max((1500, 1), (2000, 0))               = (2000, 0)   wall overtakes
   *   update((2000, 65535)) -> max((2000, 1), (2000, 0), (2001, 0))  = (2001, 0)   borrowed a millisecond
   *
   * The wall clock is read once per call, before the compare-and-set loop: if the CAS loses, the retry uses the
   * same reading, as if the call had happened a moment earlier, which every guarantee above allows.
   */

  private final PhysicalClock clock;
  private final long maxDriftMillis;
  private final AtomicLong last;
  private final LongAdder clamps = new LongAdder();

  /**
   * A clock that has issued nothing yet ({@link #last()} is 0).
   *
   * @param clock the wall clock it follows
   * @param maxDriftMillis how far ahead of {@code clock} a remote stamp may be and still be
   *     adopted, {@code 0..HlcTimestamp.MAX_MILLIS}
   * @throws IllegalArgumentException if {@code maxDriftMillis} is out of range
   */
  public HybridLogicalClock(PhysicalClock clock, long maxDriftMillis) {
    this(clock, maxDriftMillis, 0L);
  }

  private HybridLogicalClock(PhysicalClock clock, long maxDriftMillis, long highWaterMark) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxDriftMillis < 0 || maxDriftMillis > MAX_MILLIS) {
      throw new IllegalArgumentException(
          "maxDriftMillis: " + maxDriftMillis + " (expected: 0.." + MAX_MILLIS + ")");
    }
    this.maxDriftMillis = maxDriftMillis;
    this.last = new AtomicLong(highWaterMark);
  }

  /**
   * A clock whose every stamp is greater than {@code highWaterMark}, even if {@code clock} now
   * reads earlier than it: how a restarted node resumes without running backwards. See the class
   * documentation for how to keep the mark.
   *
   * @param highWaterMark a persisted {@link #last()} or reserved ceiling, {@code
   *     0..HlcTimestamp.MAX_VALUE - 1}
   * @throws IllegalArgumentException if {@code highWaterMark} or {@code maxDriftMillis} is out of
   *     range
   */
  public static HybridLogicalClock restore(
      PhysicalClock clock, long maxDriftMillis, long highWaterMark) {
    if (highWaterMark < 0 || highWaterMark == MAX_VALUE) {
      throw new IllegalArgumentException(
          "highWaterMark: " + highWaterMark + " (expected: 0.." + (MAX_VALUE - 1) + ")");
    }
    return new HybridLogicalClock(clock, maxDriftMillis, highWaterMark);
  }

  /**
   * A new stamp for a local event: greater than every stamp issued before, and at or after the wall
   * clock.
   *
   * @throws IllegalStateException if the wall clock reads outside {@code
   *     0..HlcTimestamp.MAX_MILLIS}, or the clock has issued {@link HlcTimestamp#MAX_VALUE};
   *     nothing changes
   */
  public long now() {
    return advance(wallStamp(wallMillis()));
  }

  /**
   * A new stamp for receiving {@code remote} from a peer: greater than every stamp issued before,
   * and greater than {@code remote} unless {@code remote} is more than {@code maxDriftMillis} ahead
   * of the wall clock, in which case the clock moves only to that bound and {@link #clampCount()}
   * goes up by one.
   *
   * @throws IllegalArgumentException if {@code remote} is negative (not a timestamp); nothing
   *     changes
   * @throws IllegalStateException as {@link #now()}, or if {@code remote} is {@link
   *     HlcTimestamp#MAX_VALUE} and within bounds; nothing changes
   */
  public long update(long remote) {
    HlcTimestamp.requireValid(remote, "remote");
    long wall = wallMillis();
    long bound =
        Math.min(wall + maxDriftMillis, MAX_MILLIS); // both <= 2^47 - 1: the sum cannot overflow
    if ((remote >>> LOGICAL_BITS) > bound) {
      long stamp = advance(wallStamp(bound));
      clamps.increment();
      return stamp;
    }
    return advance(Math.max(wallStamp(wall), successor(remote)));
  }

  /**
   * The highest stamp issued so far; before the first, the restored high-water mark (0 for a new
   * clock). This is the value to persist, see the class documentation.
   */
  public long last() {
    return last.get();
  }

  /**
   * How many remote stamps were beyond the drift bound and clamped since this clock was created.
   */
  public long clampCount() {
    return clamps.sum();
  }

  /** How far ahead of the wall clock a remote stamp may be and still be adopted. */
  public long maxDriftMillis() {
    return maxDriftMillis;
  }

  @Override
  public String toString() {
    return "HybridLogicalClock[last="
        + HlcTimestamp.toString(last.get())
        + ", maxDriftMillis="
        + maxDriftMillis
        + ", clamps="
        + clamps.sum()
        + ", clock="
        + clock
        + "]";
  }

  /** Issues the smallest stamp above both the last one and {@code floor}. */
  private long advance(long floor) {
    while (true) {
      long previous = last.get();
      long next = Math.max(successor(previous), floor);
      if (last.compareAndSet(previous, next)) {
        return next;
      }
    }
  }

  private long wallMillis() {
    long wall = clock.currentTimeMillis();
    if (wall < 0 || wall > MAX_MILLIS) {
      throw new IllegalStateException(
          "physical clock reading: " + wall + " (expected: 0.." + MAX_MILLIS + ") from " + clock);
    }
    return wall;
  }

  private static long wallStamp(long millis) {
    return millis << LOGICAL_BITS;
  }

  private static long successor(long timestamp) {
    if (timestamp == MAX_VALUE) {
      throw new IllegalStateException(
          "clock exhausted: no timestamp follows "
              + HlcTimestamp.toString(timestamp)
              + " (expected: a stamp below "
              + MAX_VALUE
              + ")");
    }
    return timestamp + 1;
  }
}
