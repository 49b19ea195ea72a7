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

  /**
   * Milliseconds on a clock that steps neither back nor forward, for elapsed time (timeouts,
   * liveness): only differences between readings mean anything. A wall-clock step must not make a
   * silent peer look recently heard from, nor a fresh one look dead.
   *
   * <p>The default is {@link #currentTimeMillis()}, for clocks that cannot tell a step from time
   * passing; {@link #system()} reads {@link System#nanoTime()}, and {@link ManualClock} moves it
   * only with time that passes.
   */
  default long monotonicMillis() {
    return currentTimeMillis();
  }

  /** The operating system's clock, {@link System#currentTimeMillis()}. */
  static PhysicalClock system() {
    return SystemClock.INSTANCE;
  }
}
