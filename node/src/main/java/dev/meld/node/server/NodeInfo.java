package dev.meld.node.server;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Facts about a running node that do not change while it runs: what {@code INFO server}, {@code
 * HELLO} and the admin endpoints report.
 *
 * @param nodeName this node's name
 * @param clusterName the cluster it belongs to
 * @param incarnation the incarnation this session acts under
 * @param version Meld's version
 * @param startTimeMillis when the node started, in epoch milliseconds
 * @param clientAddress where the RESP port listens, or null if it does not
 * @param meshAddress where the mesh port listens, or null if it does not
 * @param adminAddress where the admin HTTP port listens, or null if it does not
 */
public record NodeInfo(
    String nodeName,
    String clusterName,
    long incarnation,
    String version,
    long startTimeMillis,
    InetSocketAddress clientAddress,
    InetSocketAddress meshAddress,
    InetSocketAddress adminAddress) {

  public NodeInfo {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(version, "version");
  }
}
