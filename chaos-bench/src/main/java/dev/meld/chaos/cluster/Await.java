package dev.meld.chaos.cluster;

import java.time.Duration;

/** Bounded polling: every wait in the cluster ends by its deadline. */
public final class Await {

  /** A condition that may fail to be evaluated (a node not answering counts as "not yet"). */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  public static final Duration POLL = Duration.ofMillis(100);

  private Await() {}

  /**
   * Polls {@code condition} every {@link #POLL} until it holds or {@code timeout} has passed; an
   * exception from the condition counts as "does not hold yet".
   *
   * @return true if it held before the deadline
   */
  public static boolean until(Duration timeout, Condition condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.holds()) {
          return true;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // not yet: the node may be starting, paused or partitioned
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
    }
  }
}
