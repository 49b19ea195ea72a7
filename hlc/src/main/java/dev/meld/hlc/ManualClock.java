package dev.meld.hlc;

/**
 * A {@link PhysicalClock} that only moves when told to: virtual time for tests and the
 * deterministic simulator.
 *
 * <p>It may be set or advanced to any value, including backwards, which is how tests model NTP
 * steps and clock bumps. Its {@link #monotonicMillis() monotonic reading} moves with every forward
 * move of {@link #set} and {@link #advance} (time passing) and never back; {@link #step} moves the
 * wall reading alone, as an NTP step or a clock fault does. Thread-safe: one thread may move it
 * while others read it.
 */
public final class ManualClock implements PhysicalClock {

  private long millis;
  private long monotonic;

  /** A clock reading {@code startMillis} (both readings) until it is moved. */
  public ManualClock(long startMillis) {
    this.millis = startMillis;
    this.monotonic = startMillis;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return millis;
  }

  @Override
  public synchronized long monotonicMillis() {
    return monotonic;
  }

  /**
   * Sets the reading to {@code newMillis}, which may be earlier than the current reading; a move
   * forward counts as time passing (the monotonic reading moves by as much), a move back does not.
   */
  public synchronized void set(long newMillis) {
    if (newMillis > millis) {
      monotonic += newMillis - millis;
    }
    millis = newMillis;
  }

  /** Steps the wall reading to {@code newMillis} without time passing: the monotonic reading stays. */
  public synchronized void step(long newMillis) {
    millis = newMillis;
  }

  /**
   * Moves the reading by {@code deltaMillis} (negative moves it backwards) and returns the new
   * reading; a forward move counts as time passing, as in {@link #set}.
   *
   * @throws ArithmeticException if the reading would leave the range of {@code long}; the reading
   *     is unchanged
   */
  public synchronized long advance(long deltaMillis) {
    long next;
    try {
      next = Math.addExact(millis, deltaMillis);
    } catch (ArithmeticException overflow) {
      throw new ArithmeticException(
          "advance: "
              + deltaMillis
              + " from "
              + millis
              + " (expected: a result within the range of long)");
    }
    set(next);
    return next;
  }

  @Override
  public synchronized String toString() {
    return "ManualClock[" + millis + "]";
  }
}
