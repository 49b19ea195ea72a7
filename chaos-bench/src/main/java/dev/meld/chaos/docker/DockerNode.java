package dev.meld.chaos.docker;

import dev.meld.chaos.cluster.ClusterNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One node of a {@link DockerCluster}: its fixed addresses on the mesh and edge networks, its run
 * directory on the host (bind-mounted at {@code /meld}: the log, the clock file, the fault script)
 * and data directory (bind-mounted at {@code /var/lib/meld}), its container once created, and the
 * mesh faults it applies to itself. The directory layout is {@link ClusterNode}'s, plus:
 *
 * <pre>
 * out/nodes/n1/net-faults.sh   the node's mesh faults (NetFaults), run at start and on change
 * </pre>
 */
final class DockerNode extends ClusterNode {

  private final String meshIp;
  private final String edgeIp;
  private volatile String containerId;
  private NetFaults faults;

  DockerNode(String name, Subnets subnets, Path nodesDir) {
    super(name, nodesDir);
    this.meshIp = subnets.meshAddress(name);
    this.edgeIp = subnets.edgeAddress(name);
    this.faults = NetFaults.none(meshIp);
  }

  String meshIp() {
    return meshIp;
  }

  String edgeIp() {
    return edgeIp;
  }

  @Override
  public InetSocketAddress client() {
    return new InetSocketAddress(edgeIp, NodeCommand.CLIENT_PORT);
  }

  @Override
  public InetSocketAddress admin() {
    return new InetSocketAddress(edgeIp, NodeCommand.ADMIN_PORT);
  }

  Path faultScript() {
    return dir().resolve("net-faults.sh");
  }

  String containerId() {
    if (containerId == null) {
      throw new IllegalStateException("node " + name() + ": no container yet");
    }
    return containerId;
  }

  void containerId(String id) {
    containerId = id;
  }

  synchronized NetFaults faults() {
    return faults;
  }

  /** Records the node's mesh faults and writes its script (read at the next start or exec). */
  synchronized void faults(NetFaults f) throws IOException {
    faults = f;
    Files.createDirectories(dir());
    Path temp = faultScript().resolveSibling("net-faults.sh.tmp");
    Files.writeString(temp, f.script(), StandardCharsets.US_ASCII);
    Files.move(
        temp, faultScript(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Deletes the data directory; true if it was gone afterwards. It is recreated empty, since the
   * container's bind mount needs it.
   */
  @Override
  public boolean destroyData() throws IOException {
    boolean gone = super.destroyData();
    Files.createDirectories(dataDir());
    return gone;
  }

  @Override
  public String toString() {
    return name() + " " + state() + " mesh " + meshIp + " edge " + edgeIp;
  }
}
