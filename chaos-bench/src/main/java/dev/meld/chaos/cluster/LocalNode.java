package dev.meld.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One node of a {@link LocalCluster}: its fixed loopback ports, the addresses it dials its peers at
 * (the mesh proxies), and the process currently running it, if any. Ports, data directory and log
 * survive restarts ({@link ClusterNode}); a wipe destroys only the data directory.
 */
final class LocalNode extends ClusterNode {

  private final InetSocketAddress client;
  private final InetSocketAddress mesh;
  private final InetSocketAddress admin;
  private final Map<String, InetSocketAddress> dial = new LinkedHashMap<>();
  private ChildProcess process;

  LocalNode(String name, PortAllocator ports, Path nodesDir) throws IOException {
    super(name, nodesDir);
    this.client = loopback(ports.next());
    this.mesh = loopback(ports.next());
    this.admin = loopback(ports.next());
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }

  @Override
  public InetSocketAddress client() {
    return client;
  }

  InetSocketAddress mesh() {
    return mesh;
  }

  @Override
  public InetSocketAddress admin() {
    return admin;
  }

  /** Records that this node reaches {@code peer} at {@code address} (its proxy). */
  void dial(String peer, InetSocketAddress address) {
    dial.put(peer, address);
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
    command.add("--name=" + name());
    command.add("--data-dir=" + dataDir().toAbsolutePath());
    if (config.tls()) {
      // The client address serves TLS instead (redis-cli --tls, the bench's Jedis with the tool
      // certificate, which --tls-auth-clients yes requires); the mesh is mutual TLS.
      Path certs = config.certsDir().toAbsolutePath();
      String own = certs.resolve(name()).toString();
      command.add("--client=off");
      command.add("--tls-port=" + hostPort(client));
      command.add("--tls-cert-file=" + own + ".pem");
      command.add("--tls-key-file=" + own + "-key.pem");
      command.add("--tls-ca-cert-file=" + certs.resolve("ca.pem"));
      command.add("--tls-auth-clients=yes");
      command.add("--mesh-tls-cert=" + own + ".pem");
      command.add("--mesh-tls-key=" + own + "-key.pem");
      command.add("--mesh-tls-ca=" + certs.resolve("ca.pem"));
    } else {
      command.add("--client=" + hostPort(client));
    }
    command.add("--mesh=" + hostPort(mesh));
    command.add("--admin=" + hostPort(admin));
    command.add("--admin-token-file=" + adminTokenFile().toAbsolutePath());
    command.add("--cluster=" + config.clusterName());
    command.add("--seeds=" + join(seeds));
    Map<String, InetSocketAddress> peers = new LinkedHashMap<>(dial);
    peers.remove(name());
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
          "node " + name() + ": running as " + process + " (expected: down before a start)");
    }
    beginRun(String.join(" ", command));
    process = ChildProcess.start(name(), command, env, log());
    state(NodeState.RUNNING);
    return process;
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
    return name() + " " + state() + (process != null ? " pid " + process.pid() : "");
  }
}
