package dev.meld.node.logging;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warnings that an untrusted sender can provoke at will (undecodable frames, refused peer
 * messages), logged so that a flood costs a few lines rather than one line per event: the first
 * warning of a kind is logged, later ones of that kind within {@code interval} are only counted,
 * and the first one after the interval is logged with the count of those it stood for:
 *
 * <pre>
 *   mesh: dropped an undecodable message from evil: version: 9 (expected: 2)
 *   mesh: dropped an undecodable message from evil: version: 9 (expected: 2) (and 19,999 more like
 *   it in the last 10 s)
 * </pre>
 *
 * <p>A kind is a short constant chosen by the caller ({@code "undecodable"}, {@code
 * "non-member-batch"}), never a value from the input, so the set of kinds stays small; a caller
 * that passed input anyway is bounded by {@link #MAX_KINDS}: past it, unknown kinds share one
 * overflow kind.
 *
 * <p>Time comes from the given clock, so the replica passes its own (virtual, in the simulator)
 * timer and tests pass a manual one. Thread-safe.
 */
public final class RateLimitedLog {

  /** How many distinct kinds are tracked before new ones share one. */
  public static final int MAX_KINDS = 256;

  private static final String OVERFLOW_KIND = "(other)";

  private static final class Window {
    long startedMillis;
    long suppressed;
    boolean opened;
  }

  private final Logger logger;
  private final long intervalMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param logger where the lines go
   * @param intervalMillis at most one line per kind per interval, {@code >= 1}
   * @param clockMillis the time in milliseconds (any epoch, must not run backwards)
   */
  public RateLimitedLog(Logger logger, long intervalMillis, LongSupplier clockMillis) {
    this.logger = Objects.requireNonNull(logger, "logger");
    if (intervalMillis < 1) {
      throw new IllegalArgumentException("intervalMillis: " + intervalMillis + " (expected: >= 1)");
    }
    this.intervalMillis = intervalMillis;
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
  }

  /** A log on the system's monotonic clock. */
  public static RateLimitedLog monotonic(Logger logger, long intervalMillis) {
    return new RateLimitedLog(logger, intervalMillis, () -> System.nanoTime() / 1_000_000);
  }

  /**
   * Logs a warning of {@code kind} unless one was logged within the interval; then it is counted
   * and reported with the next line of its kind.
   *
   * @return whether a line was written
   */
  public boolean warn(String kind, String format, Object... args) {
    Objects.requireNonNull(kind, "kind");
    if (!logger.isWarnEnabled()) {
      return false;
    }
    long[] admitted = admit(kind);
    if (admitted == null) {
      return false;
    }
    long suppressed = admitted[0];
    if (suppressed == 0) {
      logger.warn(format, args);
    } else {
      logger.warn(
          format + " (and {} more like it in the last {} s)",
          append(args, String.format("%,d", suppressed), seconds(admitted[1])));
    }
    return true;
  }

  /**
   * Whether to write a line of {@code kind} now: null if not (counted), otherwise how many were
   * suppressed since the last line and the milliseconds since that line.
   */
  private long[] admit(String kind) {
    String k = windows.size() >= MAX_KINDS && !windows.containsKey(kind) ? OVERFLOW_KIND : kind;
    Window w = windows.computeIfAbsent(k, x -> new Window());
    long now = clockMillis.getAsLong();
    synchronized (w) {
      if (w.opened && now - w.startedMillis < intervalMillis) {
        w.suppressed++;
        return null;
      }
      long[] admitted = {w.suppressed, now - w.startedMillis};
      w.opened = true;
      w.startedMillis = now;
      w.suppressed = 0;
      return admitted;
    }
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0
        ? Long.toString(millis / 1000)
        : String.format("%.1f", millis / 1000.0);
  }

  private static Object[] append(Object[] args, Object a, Object b) {
    Object[] out = new Object[args.length + 2];
    System.arraycopy(args, 0, out, 0, args.length);
    out[args.length] = a;
    out[args.length + 1] = b;
    return out;
  }
}
