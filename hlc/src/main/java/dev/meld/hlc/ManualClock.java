package dev.meld.hlc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PhysicalClock} that only moves when told to: virtual time for tests and the
 * deterministic simulator.
 *
 * <p>It may be set or advanced to any value, including backwards, which is how tests model NTP
 * steps and clock bumps. Thread-safe: one thread may move it while others read it.
 */
public final class ManualClock implements PhysicalClock {

  private final AtomicLong millis;

  /** A clock reading {@code startMillis} until it is moved. */
  public ManualClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  @Override
  public long currentTimeMillis() {
    return millis.get();
  }

  /** Sets the reading to {@code newMillis}, which may be earlier than the current reading. */
  public void set(long newMillis) {
    millis.set(newMillis);
  }

  /**
   * Moves the reading by {@code deltaMillis} (negative moves it backwards) and returns the new
   * reading.
   *
   * @throws ArithmeticException if the reading would leave the range of {@code long}; the reading
   *     is unchanged
   */
  public long advance(long deltaMillis) {
    return millis.updateAndGet(
        current -> {
          try {
            return Math.addExact(current, deltaMillis);
          } catch (ArithmeticException overflow) {
            throw new ArithmeticException(
                "advance: "
                    + deltaMillis
                    + " from "
                    + current
                    + " (expected: a result within the range of long)");
          }
        });
  }

  @Override
  public String toString() {
    return "ManualClock[" + millis.get() + "]";
  }
}
