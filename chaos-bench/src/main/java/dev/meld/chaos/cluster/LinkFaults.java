package dev.meld.chaos.cluster;

import dev.meld.chaos.nemesis.Grudge;
import java.time.Duration;
import java.util.List;

/**
 * A backend's faults on the mesh between nodes (proxies, or iptables and tc in containers); the
 * {@link Cluster} methods of the same names hand over to it. Each verifies as {@link Cluster} says.
 */
public interface LinkFaults {

  FaultReceipt partition(Grudge<String> grudge);

  /** Heals every link; {@code members} are the receipt's targets. */
  FaultReceipt heal(List<String> members);

  FaultReceipt slow(String from, String to, Duration latency, Duration jitter);

  FaultReceipt lossy(String from, String to, double probability);
}
