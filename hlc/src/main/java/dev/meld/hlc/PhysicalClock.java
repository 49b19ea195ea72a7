package dev.meld.hlc;

/**
 * A source of wall-clock time in milliseconds since the Unix epoch: the "physical" part of a hybrid
 * logical clock.
 *
 * <p>It is an interface so that tests and the deterministic simulator can run on virtual time
 * ({@link ManualClock}); a node uses {@link #system()}. Readings may jump forwards or backwards
 * (NTP steps, a clock bump nemesis); {@link HybridLogicalClock} stays monotonic regardless.
 */
@FunctionalInterface
public interface PhysicalClock {

  /** The current time in milliseconds since 1970-01-01T00:00:00Z. */
  long currentTimeMillis();

  /** The operating system's clock, {@link System#currentTimeMillis()}. */
  static PhysicalClock system() {
    return SystemClock.INSTANCE;
  }
}
