package dev.meld.chaos.runner;

/**
 * The time a run waits in: the machine's for real nodes, the simulator's virtual time for the sim
 * backend, where waiting means running the simulation forward.
 */
public interface RunTime {

  /** A monotonic time in nanoseconds. */
  long nanoTime();

  /** Waits {@code millis} milliseconds (or lets that much virtual time pass). */
  void sleep(long millis) throws InterruptedException;

  /** The machine's time. */
  RunTime SYSTEM =
      new RunTime() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
          Thread.sleep(millis);
        }
      };
}
