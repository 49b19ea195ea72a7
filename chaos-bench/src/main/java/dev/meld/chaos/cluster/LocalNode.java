package dev.meld.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One node of a {@link LocalCluster}: its fixed ports and directories, the addresses it dials its
 * peers at (the mesh proxies), and the process currently running it, if any. Ports, data directory
 * and log survive restarts; a wipe destroys only the data directory.
 *
 * <pre>
 * out/nodes/n1/data/     the store (--data-dir)
 * out/nodes/n1/node.log  stdout and stderr of every run, appended, each run headed by its command
 * out/nodes/n1/clock     the libfaketime offset file
 * </pre>
 */
final class LocalNode {

  /** Where the node stands as far as the bench knows. */
  enum State {
    /** Never started, or joined and then left. */
    NEW,
    RUNNING,
    PAUSED,
    /** Killed or exited. */
    DOWN,
    /** Left the cluster; its name is not reused. */
    LEFT
  }

  private final String name;
  private final InetSocketAddress client;
  private final InetSocketAddress mesh;
  private final InetSocketAddress admin;
  private final Path dir;
  private final Map<String, InetSocketAddress> dial = new LinkedHashMap<>();
  private ChildProcess process;
  private volatile State state = State.NEW;
  private int runs;

  LocalNode(String name, PortAllocator ports, Path nodesDir) throws IOException {
    this.name = name;
    this.client = loopback(ports.next());
    this.mesh = loopback(ports.next());
    this.admin = loopback(ports.next());
    this.dir = nodesDir.resolve(name);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }

  String name() {
    return name;
  }

  InetSocketAddress client() {
    return client;
  }

  InetSocketAddress mesh() {
    return mesh;
  }

  InetSocketAddress admin() {
    return admin;
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

  /** Records that this node reaches {@code peer} at {@code address} (its proxy). */
  void dial(String peer, InetSocketAddress address) {
    dial.put(peer, address);
  }

  State state() {
    return state;
  }

  void state(State state) {
    this.state = state;
  }

  Optional<ChildProcess> process() {
    return Optional.ofNullable(process);
  }

  /**
   * The node's command line.
   *
   * @param seeds the members it starts from (name to mesh address)
   */
  List<String> command(LocalClusterConfig config, Map<String, InetSocketAddress> seeds) {
    List<String> command = new ArrayList<>();
    command.add(config.java().toString());
    command.addAll(config.jvmOptions());
    command.add("-jar");
    command.add(config.nodeJar().toAbsolutePath().toString());
    command.add("--name=" + name);
    command.add("--data-dir=" + dataDir().toAbsolutePath());
    command.add("--client=" + hostPort(client));
    command.add("--mesh=" + hostPort(mesh));
    command.add("--admin=" + hostPort(admin));
    command.add("--cluster=" + config.clusterName());
    command.add("--seeds=" + join(seeds));
    Map<String, InetSocketAddress> peers = new LinkedHashMap<>(dial);
    peers.remove(name);
    // --dial is repeatable, one peer each.
    peers.forEach((peer, address) -> command.add("--dial=" + peer + "=" + hostPort(address)));
    if (!config.misbehaviors().isEmpty()) {
      command.add("--unsafe-misbehave=" + String.join(",", config.misbehaviors()));
    }
    command.addAll(config.nodeArgs());
    return command;
  }

  static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private static String join(Map<String, InetSocketAddress> addresses) {
    return addresses.entrySet().stream()
        .map(e -> e.getKey() + "=" + hostPort(e.getValue()))
        .collect(Collectors.joining(","));
  }

  /** Starts a new process for this node; the caller waits for it to be ready. */
  ChildProcess start(List<String> command, Map<String, String> env) throws IOException {
    if (process != null && process.alive()) {
      throw new IllegalStateException(
          "node " + name + ": running as " + process + " (expected: down before a start)");
    }
    Files.createDirectories(dir);
    runs++;
    Files.writeString(
        log(),
        "=== run " + runs + ": " + String.join(" ", command) + System.lineSeparator(),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process = ChildProcess.start(name, command, env, log());
    state = State.RUNNING;
    return process;
  }

  /** The log lines of the current run (after its header). */
  List<String> currentRunLog() throws IOException {
    List<String> lines = Files.readAllLines(log());
    String header = "=== run " + runs + ":";
    int from = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(header)) {
        from = i + 1;
      }
    }
    return lines.subList(from, lines.size());
  }

  /** Deletes the data directory; true if it no longer exists. */
  boolean destroyData() throws IOException {
    deleteTree(dataDir());
    return !Files.exists(dataDir());
  }

  /** Deletes {@code dir} and everything below it, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Kills the process if one runs; never throws. */
  void forceStop() {
    if (process != null && process.alive()) {
      try {
        process.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + " " + state + (process != null ? " pid " + process.pid() : "");
  }
}
