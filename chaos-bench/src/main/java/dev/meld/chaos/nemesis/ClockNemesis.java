package dev.meld.chaos.nemesis;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Clock faults on one random node. A bump ({@code bump-clock}) moves its wall clock by the offset,
 * ahead or behind at random, until {@code reset-clock}. A strobe ({@code strobe-clock}, one op)
 * flips the clock between the offset and real time every period for a bounded duration, each flip
 * verified, and leaves it at real time.
 */
public final class ClockNemesis implements Nemesis {

  private final String name;
  private final Duration offset;
  private final Duration period;
  private final Duration strobeFor;
  private final List<String> aimed;
  private final List<String> bumped = new ArrayList<>();

  private ClockNemesis(String name, Duration offset, Duration period, Duration strobeFor) {
    this(name, offset, period, strobeFor, List.of());
  }

  private ClockNemesis(
      String name, Duration offset, Duration period, Duration strobeFor, List<String> aimed) {
    this.aimed = List.copyOf(aimed);
    if (offset.isNegative() || offset.isZero()) {
      throw new IllegalArgumentException("offset: " + offset + " (expected: positive)");
    }
    this.name = name;
    this.offset = offset;
    this.period = period;
    this.strobeFor = strobeFor;
  }

  /** Bumps one node's clock by {@code ±offset} until stopped. */
  public static ClockNemesis bump(String name, Duration offset) {
    return new ClockNemesis(name, offset, Duration.ZERO, Duration.ZERO);
  }

  /**
   * Flips one node's clock between {@code +offset} and real time every {@code period} for {@code
   * duration}. libfaketime re-reads its offset about once a second, so the period is at least 2 s.
   */
  public static ClockNemesis strobe(
      String name, Duration offset, Duration period, Duration duration) {
    if (period.compareTo(Duration.ofSeconds(2)) < 0
        || duration.compareTo(period) < 0
        || duration.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "period: "
              + period
              + ", duration: "
              + duration
              + " (expected: period >= 2 s, period <= duration <= 10 min)");
    }
    return new ClockNemesis(name, offset, period, duration);
  }

  /** The same clock fault on exactly one named node, instead of a seeded choice. */
  public ClockNemesis aimedAt(List<String> nodes) {
    if (nodes.size() != 1) {
      throw new IllegalArgumentException("targets: " + nodes + " (expected: exactly one node)");
    }
    return new ClockNemesis(name, offset, period, strobeFor, nodes);
  }

  private boolean strobing() {
    return !period.isZero();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<FaultKind> needs() {
    return Set.of(FaultKind.CLOCK_OFFSET);
  }

  @Override
  public synchronized NemesisEvent start(Cluster cluster, Random random) {
    String node =
        aimed.isEmpty()
            ? Targets.ONE.pick(cluster.nodes(), random, 0).get(0)
            : Targets.members(aimed, cluster.nodes()).get(0);
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("node", node);
    if (strobing()) {
      value.put("offset-ms", offset.toMillis());
      value.put("period-ms", period.toMillis());
      return new NemesisEvent("strobe-clock", value, strobe(cluster, node));
    }
    Duration signed = random.nextBoolean() ? offset : offset.negated();
    value.put("offset-ms", signed.toMillis());
    FaultReceipt receipt = cluster.clockOffset(node, signed);
    bumped.add(node);
    return new NemesisEvent("bump-clock", value, List.of(receipt));
  }

  private List<FaultReceipt> strobe(Cluster cluster, String node) {
    List<FaultReceipt> receipts = new ArrayList<>();
    long end = System.nanoTime() + strobeFor.toNanos();
    boolean ahead = true;
    // Bounded by the duration, and by a flip count in case the clock faults return at once.
    for (long flips = 0;
        flips < strobeFor.dividedBy(period) + 1 && System.nanoTime() < end;
        flips++) {
      long flipStart = System.nanoTime();
      FaultReceipt r = cluster.clockOffset(node, ahead ? offset : Duration.ZERO);
      receipts.add(r);
      if (!r.verified()) {
        break;
      }
      ahead = !ahead;
      sleepUntil(Math.min(end, flipStart + period.toNanos()));
    }
    if (!ahead || receipts.isEmpty() || !receipts.get(receipts.size() - 1).verified()) {
      receipts.add(cluster.clockOffset(node, Duration.ZERO));
    }
    return receipts;
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized NemesisEvent stop(Cluster cluster) {
    List<FaultReceipt> receipts = new ArrayList<>();
    for (String node : bumped) {
      receipts.add(cluster.clockOffset(node, Duration.ZERO));
    }
    List<String> reset = List.copyOf(bumped);
    bumped.clear();
    return new NemesisEvent("reset-clock", reset, receipts);
  }
}
