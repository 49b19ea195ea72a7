package dev.meld.node.resp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed {@code AUTH}s per source address, in fixed windows of {@link
 * RespConfig#AUTH_WINDOW_MILLIS}: closing a connection after its last allowed failure would
 * otherwise only cost a brute-forcer a new connection. An address over its allowance is refused
 * until its window ends, right password or not; so is a legitimate client behind the same address
 * (a NAT), which is the price of the limit, and why the allowance is well above what typos make.
 *
 * <p>The table is bounded: beyond {@link #MAX_ADDRESSES} addresses the least recently failing one
 * is forgotten (an attacker with that many addresses is not stopped by per-address limits anyway).
 * Failures are rare events, so one lock is enough.
 */
final class AddressThrottle {

  static final int MAX_ADDRESSES = 10_000;

  private final int allowance;
  private final long windowMillis;
  private final Map<String, Window> windows =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  private static final class Window {
    long startMillis;
    int failures;

    Window(long startMillis) {
      this.startMillis = startMillis;
    }
  }

  AddressThrottle(int allowance, long windowMillis) {
    this.allowance = allowance;
    this.windowMillis = windowMillis;
  }

  /** How long {@code address} must still wait before it may try again; 0 when it may now. */
  synchronized long retryAfterMillis(String address, long nowMillis) {
    Window w = windows.get(address);
    if (w == null || nowMillis - w.startMillis >= windowMillis) {
      return 0;
    }
    return w.failures >= allowance ? w.startMillis + windowMillis - nowMillis : 0;
  }

  /** Counts a failed attempt of {@code address}; returns its failures in the current window. */
  synchronized int failed(String address, long nowMillis) {
    Window w = windows.get(address);
    if (w == null || nowMillis - w.startMillis >= windowMillis) {
      w = new Window(nowMillis);
      windows.put(address, w);
    }
    return ++w.failures;
  }

  int allowance() {
    return allowance;
  }

  long windowMillis() {
    return windowMillis;
  }
}
