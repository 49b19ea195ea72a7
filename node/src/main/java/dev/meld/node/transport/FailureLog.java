package dev.meld.node.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides which failures from a source (a peer's address) are worth a warning: the first, and then
 * at most one per interval, saying how many were not logged in between. A scanner or a
 * misconfigured node retrying every 100 ms would otherwise fill the log; the counters still count
 * every attempt.
 */
final class FailureLog {

  /** One warning per source per minute. */
  static final long INTERVAL_NANOS = 60_000_000_000L;

  /** Sources remembered at most; past it the memory starts over (a flood of addresses). */
  static final int MAX_SOURCES = 4096;

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, long[]> sources = new ConcurrentHashMap<>();

  FailureLog(long intervalNanos, LongSupplier nanoTime) {
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  /**
   * Notes a failure from {@code source}: returns -1 if it should not be logged now, else how many
   * failures from it went unlogged since the last one logged.
   */
  long note(String source) {
    if (sources.size() >= MAX_SOURCES && !sources.containsKey(source)) {
      sources.clear();
    }
    long now = nanoTime.getAsLong();
    long[] out = {-1};
    sources.compute(
        source,
        (s, state) -> {
          if (state == null) {
            out[0] = 0;
            return new long[] {now, 0};
          }
          if (now - state[0] >= intervalNanos) {
            out[0] = state[1];
            state[0] = now;
            state[1] = 0;
          } else {
            state[1]++;
          }
          return state;
        });
    return out[0];
  }
}
