package dev.meld.hlc;

/** The operating system's wall clock, as returned by {@link PhysicalClock#system()}. */
enum SystemClock implements PhysicalClock {
  INSTANCE;

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long monotonicMillis() {
    return System.nanoTime() / 1_000_000L;
  }

  @Override
  public String toString() {
    return "PhysicalClock.system()";
  }
}
