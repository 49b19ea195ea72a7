package dev.meld.node.identity;

import java.util.random.RandomGenerator;

/**
 * Chooses incarnation numbers that a node never repeats, even across restores from old backups.
 *
 * <p>An incarnation is 64 bits: a 34-bit stamp (seconds, as a logical clock) above 30 random bits.
 */
final class Incarnations {

  /* Why a stamp and random bits, and not a counter alone.
   *
   * A counter persisted in the store ("previous + 1") is unique along one line of history, but a
   * restore forks the history: a backup taken at incarnation 7, restored after the live node went
   * on to 8 and 9, would pick 8 again, and peers that still hold dots of the old 8 would swallow
   * the new 8's dots (the kv679 bug). So the stamp is a logical clock seeded by wall time:
   *
   *   stamp = max(previous stamp + 1, now in seconds)
   *
   * Along one history the stamp strictly increases whatever the wall clock does, so incarnations
   * strictly increase (the stamp sits above the random bits). After a restore, the stamp jumps to
   * "now", which is later than every incarnation the lost history created as long as the wall clock
   * is sane. If the clock is not sane (set back, or the lost history ran its logical stamp ahead
   * with several unclean restarts inside one second), two incarnations can share a stamp; then the
   * 30 random bits make them differ except with probability 2^-30 per such pair.
   *
   * Worked example (R = random bits):
   *   fresh store, now = 1,700,000,000 s       -> stamp 1,700,000,000, incarnation (S<<30)|R1
   *   killed, restarted 1 s later               -> stamp 1,700,000,001
   *   killed, restarted with the clock set back -> stamp 1,700,000,002 (previous + 1 wins)
   *   backup from the first incarnation restored at 1,700,000,500
   *                                              -> stamp 1,700,000,500: new, whatever R says
   *
   * 34 bits of seconds last until the year 2514; 30 random bits keep collisions rarer than one in
   * a billion. Time and randomness are injected so the simulator stays deterministic. */

  static final int RANDOM_BITS = 30;
  static final long MAX_STAMP = (1L << (Long.SIZE - RANDOM_BITS)) - 1;
  private static final long RANDOM_MASK = (1L << RANDOM_BITS) - 1;

  private Incarnations() {}

  /** The stamp of an incarnation (0 for "no incarnation yet"). */
  static long stamp(long incarnation) {
    return incarnation >>> RANDOM_BITS;
  }

  /**
   * The incarnation to take after {@code previous} (0 if none) at wall time {@code nowMillis}.
   *
   * @throws IllegalStateException if the stamp would leave its 34 bits (a clock beyond year 2514)
   */
  static long next(long previous, long nowMillis, RandomGenerator random) {
    long stamp = Math.max(stamp(previous) + 1, Math.floorDiv(nowMillis, 1000L));
    if (stamp > MAX_STAMP) {
      throw new IllegalStateException(
          "incarnation stamp: " + stamp + " (expected: <= " + MAX_STAMP + "); is the clock sane?");
    }
    return (stamp << RANDOM_BITS) | (random.nextLong() & RANDOM_MASK);
  }
}
