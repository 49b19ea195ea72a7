package dev.meld.chaos.cluster;

import java.time.Duration;

/**
 * Checks that a node's wall clock stands at the bench's clock plus an offset. Both run on this
 * machine, so their real clocks agree; the node's reported time is compared with the midpoint of
 * the request, and half the round trip is added to the tolerance.
 */
public final class ClockCheck {

  /** Reads the node's wall clock in milliseconds (its {@code /health} wallClockMillis). */
  @FunctionalInterface
  public interface NodeClock {
    long wallClockMillis() throws Exception;
  }

  private ClockCheck() {}

  /**
   * Polls until the node's clock is at {@code offset ± tolerance}, or fails after {@code timeout}.
   */
  public static String await(NodeClock node, Duration offset, Duration tolerance, Duration timeout)
      throws Exception {
    long[] last = {Long.MIN_VALUE, 0};
    boolean held =
        Await.until(
            timeout,
            () -> {
              long before = System.currentTimeMillis();
              long wall = node.wallClockMillis();
              long after = System.currentTimeMillis();
              if (wall < 0) {
                throw new NotVerified("the node reports no wallClockMillis");
              }
              last[0] = wall - (before + after) / 2;
              last[1] = (after - before) / 2;
              return within(last[0], offset.toMillis(), tolerance.toMillis() + last[1]);
            });
    String asked = "asked " + Faketime.format(offset) + " s ± " + tolerance.toMillis() + " ms";
    if (!held) {
      throw new NotVerified(
          "node clock "
              + (last[0] == Long.MIN_VALUE ? "never read" : "at " + signed(last[0]) + " ms")
              + " from the bench's after "
              + timeout
              + " ("
              + asked
              + ")");
    }
    return "node clock at " + signed(last[0]) + " ms from the bench's (" + asked + ")";
  }

  public static boolean within(long measuredSkew, long offsetMillis, long toleranceMillis) {
    return Math.abs(measuredSkew - offsetMillis) <= toleranceMillis;
  }

  private static String signed(long millis) {
    return (millis >= 0 ? "+" : "") + millis;
  }
}
