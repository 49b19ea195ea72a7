package dev.meld.chaos.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One node of a {@link DockerCluster}: its fixed addresses on the mesh and edge networks, its run
 * directory on the host (bind-mounted at {@code /meld}: the log, the clock file, the fault script)
 * and data directory (bind-mounted at {@code /var/lib/meld}), its container once created, and the
 * mesh faults it applies to itself.
 *
 * <pre>
 * out/nodes/n1/node.log        the node's output, every run appended, each headed by "=== run K"
 * out/nodes/n1/data/           the store
 * out/nodes/n1/clock           libfaketime's offset
 * out/nodes/n1/net-faults.sh   the node's mesh faults (NetFaults), run at start and on change
 * </pre>
 */
final class DockerNode {

  /** Where the node stands as far as the bench knows. */
  enum State {
    NEW,
    RUNNING,
    PAUSED,
    DOWN,
    LEFT
  }

  private final String name;
  private final String meshIp;
  private final String edgeIp;
  private final Path dir;
  private volatile State state = State.NEW;
  private volatile String containerId;
  private NetFaults faults;
  private int runs;

  DockerNode(String name, Subnets subnets, Path nodesDir) {
    this.name = name;
    this.meshIp = subnets.meshAddress(name);
    this.edgeIp = subnets.edgeAddress(name);
    this.dir = nodesDir.resolve(name);
    this.faults = NetFaults.none(meshIp);
  }

  String name() {
    return name;
  }

  String meshIp() {
    return meshIp;
  }

  String edgeIp() {
    return edgeIp;
  }

  InetSocketAddress client() {
    return new InetSocketAddress(edgeIp, NodeCommand.CLIENT_PORT);
  }

  InetSocketAddress admin() {
    return new InetSocketAddress(edgeIp, NodeCommand.ADMIN_PORT);
  }

  Path dir() {
    return dir;
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  Path log() {
    return dir.resolve("node.log");
  }

  Path clockFile() {
    return dir.resolve("clock");
  }

  Path faultScript() {
    return dir.resolve("net-faults.sh");
  }

  State state() {
    return state;
  }

  void state(State s) {
    state = s;
  }

  String containerId() {
    if (containerId == null) {
      throw new IllegalStateException("node " + name + ": no container yet");
    }
    return containerId;
  }

  boolean hasContainer() {
    return containerId != null;
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
    Files.createDirectories(dir);
    Path temp = faultScript().resolveSibling("net-faults.sh.tmp");
    Files.writeString(temp, f.script(), StandardCharsets.US_ASCII);
    Files.move(
        temp,
        faultScript(),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Appends a run header to the log before a start; the drain check reads only the last run. */
  synchronized void beginRun(String what) throws IOException {
    Files.createDirectories(dataDir());
    runs++;
    Files.writeString(
        log(),
        "=== run " + runs + ": " + what + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The log lines of the current run (after its header). */
  synchronized List<String> currentRunLog() throws IOException {
    List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
    String header = "=== run " + runs + ":";
    int from = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(header)) {
        from = i + 1;
      }
    }
    return lines.subList(from, lines.size());
  }

  /** Deletes the data directory; true if it was gone afterwards. It is recreated empty. */
  boolean destroyData() throws IOException {
    Path data = dataDir();
    if (Files.exists(data)) {
      try (Stream<Path> walk = Files.walk(data)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    boolean gone = !Files.exists(data);
    Files.createDirectories(data);
    return gone;
  }

  @Override
  public String toString() {
    return name + " " + state + " mesh " + meshIp + " edge " + edgeIp;
  }
}
