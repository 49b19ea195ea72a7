package dev.meld.node.sim;

/**
 * How the simulated mesh treats every message: a one-way delay drawn uniformly from {@code
 * [minDelayMillis, maxDelayMillis]} (independent per message, so messages reorder), a chance to be
 * lost and a chance to be delivered twice (the copy with its own delay).
 *
 * @param minDelayMillis {@code >= 0}
 * @param maxDelayMillis {@code >= minDelayMillis}
 * @param dropRate in {@code [0, 1]}
 * @param duplicateRate in {@code [0, 1]}
 */
public record NetworkProfile(
    long minDelayMillis, long maxDelayMillis, double dropRate, double duplicateRate) {

  /** A calm LAN: 1 to 5 ms, nothing lost or duplicated. */
  public static final NetworkProfile CALM = new NetworkProfile(1, 5, 0, 0);

  public NetworkProfile {
    if (minDelayMillis < 0) {
      throw new IllegalArgumentException("minDelayMillis: " + minDelayMillis + " (expected: >= 0)");
    }
    if (maxDelayMillis < minDelayMillis) {
      throw new IllegalArgumentException(
          "maxDelayMillis: "
              + maxDelayMillis
              + " (expected: >= minDelayMillis, "
              + minDelayMillis
              + ")");
    }
    checkRate("dropRate", dropRate);
    checkRate("duplicateRate", duplicateRate);
  }

  private static void checkRate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + ": " + rate + " (expected: in [0, 1])");
    }
  }
}
