package dev.meld.chaos.report;

/**
 * How client operations ended: {@code ok} (happened), {@code fail} (certainly did not) and {@code
 * info} (unknown; an invocation never completed counts here too, as Jepsen treats it).
 */
public record OpCounts(long ok, long fail, long info) {

  public static final OpCounts ZERO = new OpCounts(0, 0, 0);

  public OpCounts {
    if (ok < 0 || fail < 0 || info < 0) {
      throw new IllegalArgumentException(
          "op counts: ok " + ok + ", fail " + fail + ", info " + info + " (expected: all >= 0)");
    }
  }

  public long total() {
    return ok + fail + info;
  }

  public OpCounts plus(OpCounts other) {
    return new OpCounts(ok + other.ok, fail + other.fail, info + other.info);
  }
}
