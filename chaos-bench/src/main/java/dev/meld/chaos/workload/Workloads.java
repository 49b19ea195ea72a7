package dev.meld.chaos.workload;

import java.util.ArrayList;
import java.util.List;

/** The workloads by name, with the mixes the scenarios use. */
public final class Workloads {

  /** The most keys a workload spreads over. */
  public static final int MAX_KEYS = 64;

  private Workloads() {}

  /** The names {@link #named} knows. */
  public static List<String> names() {
    return List.of("counter", "set", "set-removes");
  }

  /**
   * A fresh workload: {@code counter} (5 counters, 20 % reads, 30 % of deltas negative), {@code
   * set} (3 sets, 20 % reads) or {@code set-removes} (3 sets, 20 % reads, 25 % removes).
   */
  public static Workload named(String name) {
    return named(name, null);
  }

  /**
   * As {@link #named(String)}, with the first sets pre-filled before the warm-up.
   *
   * @param prefill the pre-fill, or null for none
   * @throws IllegalArgumentException for an unknown name, a pre-fill of a counter workload, or of
   *     more sets than the workload has
   */
  public static Workload named(String name, Prefill prefill) {
    switch (name) {
      case "counter":
        if (prefill != null) {
          throw new IllegalArgumentException(
              "prefill: " + prefill.members() + " members (expected: none for workload counter: only"
                  + " set and set-removes have sets to pre-fill)");
        }
        return new CounterWorkload(5, 0.2, 0.3);
      case "set":
        return new SetWorkload(3, 0.2, 0, prefill);
      case "set-removes":
        return new SetWorkload(3, 0.2, 0.25, prefill);
      default:
        throw new IllegalArgumentException(
            "workload: \"" + name + "\" (expected: one of " + String.join(", ", names()) + ")");
    }
  }

  static List<String> keyNames(String prefix, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(prefix + i);
    }
    return List.copyOf(names);
  }

  static void checkKeys(int keys) {
    if (keys < 1 || keys > MAX_KEYS) {
      throw new IllegalArgumentException("keys: " + keys + " (expected: 1.." + MAX_KEYS + ")");
    }
  }

  static void checkShare(String name, double share, boolean oneAllowed) {
    if (!(share >= 0 && (oneAllowed ? share <= 1 : share < 1))) {
      throw new IllegalArgumentException(
          name + ": " + share + " (expected: in [0, 1" + (oneAllowed ? "]" : ")") + ")");
    }
  }
}
