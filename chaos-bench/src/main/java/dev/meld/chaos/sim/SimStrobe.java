package dev.meld.chaos.sim;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.nemesis.Nemesis;
import dev.meld.chaos.nemesis.NemesisEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The clock strobe in virtual time ({@code strobe-clock}, one op): one random node's clock flips
 * between {@code +offset} and real time every period for the duration, and ends at real time. The
 * real-node strobe waits on the machine's clock; this one runs the simulation between flips.
 */
final class SimStrobe implements Nemesis {

  private final SimBackedCluster sim;
  private final Duration offset;
  private final long periodMillis;
  private final long durationMillis;

  SimStrobe(SimBackedCluster sim, Duration offset, long periodMillis, long durationMillis) {
    if (periodMillis < 1 || durationMillis < periodMillis) {
      throw new IllegalArgumentException(
          "period: " + periodMillis + " ms, duration: " + durationMillis + " ms (expected: 1 <= period <= duration)");
    }
    this.sim = sim;
    this.offset = offset;
    this.periodMillis = periodMillis;
    this.durationMillis = durationMillis;
  }

  @Override
  public String name() {
    return "clock-strobe";
  }

  @Override
  public Set<FaultKind> needs() {
    return Set.of(FaultKind.CLOCK_OFFSET);
  }

  @Override
  public NemesisEvent start(Cluster cluster, Random random) {
    List<String> nodes = cluster.nodes();
    String node = nodes.get(random.nextInt(nodes.size()));
    List<FaultReceipt> receipts = new ArrayList<>();
    boolean ahead = true;
    for (long flips = 0; flips < durationMillis / periodMillis; flips++, ahead = !ahead) {
      receipts.add(cluster.clockOffset(node, ahead ? offset : Duration.ZERO));
      sim.sim().advance(periodMillis);
    }
    if (!ahead) {
      receipts.add(cluster.clockOffset(node, Duration.ZERO));
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("node", node);
    value.put("offset-ms", offset.toMillis());
    value.put("period-ms", periodMillis);
    return new NemesisEvent("strobe-clock", value, receipts);
  }

  @Override
  public NemesisEvent stop(Cluster cluster) {
    return new NemesisEvent("strobe-clock", null, List.of());
  }
}
