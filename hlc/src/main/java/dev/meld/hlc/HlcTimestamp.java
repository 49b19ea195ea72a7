package dev.meld.hlc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Static helpers over a hybrid logical clock timestamp packed into one {@code long} (Kulkarni et
 * al., "Logical Physical Clocks and Consistent Snapshots in Globally Distributed Databases", 2014).
 *
 * <pre>
 *  63 62                                                16 15              0
 * +--+----------------------------------------------------+-----------------+
 * |0 |        milliseconds since 1970-01-01T00:00:00Z       | logical counter |
 * +--+----------------------------------------------------+-----------------+
 *  \________________ 48-bit millisecond field ____________/ \___ 16 bits ___/
 * </pre>
 *
 * <p>The millisecond field is 48 bits wide but its top bit (the sign bit of the long) is always
 * clear, so every valid timestamp is a non-negative {@code long} and timestamps order correctly
 * with plain {@code <}, {@link Long#compare} and {@code Math.max}: first by milliseconds, then by
 * the logical counter. That caps the milliseconds at {@link #MAX_MILLIS} (2^47 - 1, in October of
 * the year 6429) and makes {@link #MAX_VALUE} equal to {@link Long#MAX_VALUE}. Every non-negative
 * {@code long} is a valid timestamp.
 *
 * <p>Because the counter sits in the low bits, {@code ts + 1} is the next timestamp: when the
 * counter is full it carries into the milliseconds ("borrows" the next millisecond) instead of
 * wrapping.
 */
public final class HlcTimestamp {

  /** Width of the logical counter in bits. */
  public static final int LOGICAL_BITS = 16;

  /** The largest logical counter, 65535. */
  public static final int MAX_LOGICAL = (1 << LOGICAL_BITS) - 1;

  /** The largest millisecond value, 2^47 - 1 (6429-10-17T02:45:55.327Z). */
  public static final long MAX_MILLIS = (1L << 47) - 1;

  /**
   * The largest timestamp, {@code pack(MAX_MILLIS, MAX_LOGICAL)}, equal to {@link Long#MAX_VALUE}.
   */
  public static final long MAX_VALUE = Long.MAX_VALUE;

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private HlcTimestamp() {}

  /**
   * The timestamp with the given parts.
   *
   * @throws IllegalArgumentException if {@code millis} is outside {@code 0..MAX_MILLIS} or {@code
   *     logical} is outside {@code 0..MAX_LOGICAL}
   */
  public static long pack(long millis, int logical) {
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException(
          "millis: " + millis + " (expected: 0.." + MAX_MILLIS + ")");
    }
    if (logical < 0 || logical > MAX_LOGICAL) {
      throw new IllegalArgumentException(
          "logical: " + logical + " (expected: 0.." + MAX_LOGICAL + ")");
    }
    return (millis << LOGICAL_BITS) | logical;
  }

  /**
   * The milliseconds since the epoch of a timestamp.
   *
   * @throws IllegalArgumentException if {@code timestamp} is negative
   */
  public static long millis(long timestamp) {
    return requireValid(timestamp, "timestamp") >>> LOGICAL_BITS;
  }

  /**
   * The logical counter of a timestamp.
   *
   * @throws IllegalArgumentException if {@code timestamp} is negative
   */
  public static int logical(long timestamp) {
    return (int) (requireValid(timestamp, "timestamp") & MAX_LOGICAL);
  }

  /**
   * The timestamp as an ISO-8601 instant with milliseconds, {@code '#'} and the logical counter,
   * e.g. {@code 2024-05-01T12:00:00.123Z#7}.
   *
   * @throws IllegalArgumentException if {@code timestamp} is negative
   */
  public static String toString(long timestamp) {
    return ISO_MILLIS.format(Instant.ofEpochMilli(millis(timestamp))) + '#' + logical(timestamp);
  }

  /**
   * Returns {@code timestamp} if it is a valid timestamp (non-negative).
   *
   * @param name how the value is called in the exception message
   * @throws IllegalArgumentException naming the value otherwise
   */
  static long requireValid(long timestamp, String name) {
    if (timestamp < 0) {
      throw new IllegalArgumentException(
          name + ": " + timestamp + " (expected: 0.." + MAX_VALUE + ")");
    }
    return timestamp;
  }
}
