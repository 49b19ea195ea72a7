package dev.meld.node.server;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Facts about a running node that do not change while it runs: what the RESP {@code INFO} command
 * and the admin {@code /health} page report.
 *
 * @param node the node's name
 * @param cluster the cluster's name
 * @param incarnation the incarnation this session acts under
 * @param version the Meld version
 * @param startTimeMillis when the node started, wall clock
 * @param clientAddress where the RESP port listens, or null if it has none
 * @param meshAddress where the mesh port listens, or null if it has none
 * @param adminAddress where the admin HTTP port listens, or null if it has none
 */
public record NodeInfo(
    String node,
    String cluster,
    long incarnation,
    String version,
    long startTimeMillis,
    InetSocketAddress clientAddress,
    InetSocketAddress meshAddress,
    InetSocketAddress adminAddress) {

  public NodeInfo {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(version, "version");
  }

  /** Milliseconds since the node started, by {@code nowMillis}. */
  public long uptimeMillis(long nowMillis) {
    return Math.max(0, nowMillis - startTimeMillis);
  }
}
