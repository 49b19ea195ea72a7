package dev.meld.chaos.cluster;

import dev.meld.node.tls.DevCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Meld cluster of node processes on loopback, started from the node jar. Clients reach nodes
 * directly; every node reaches every other through its own proxy per directed link ({@code --dial
 * B=<proxy A->B>}), so the mesh can be cut, slowed or made lossy one direction at a time. Ports lie
 * outside the kernel's ephemeral range and stay the same across restarts.
 *
 * <pre>{@code
 * LocalClusterConfig config = LocalClusterConfig.builder(outDir).nodes(5).build();
 * try (LocalCluster cluster = LocalCluster.create(config)) {
 *   cluster.start();
 *   try (NodeClient c = cluster.client("n1")) { c.incrBy("k", 3); }
 *   FaultReceipt cut = cluster.partition(Grudges.halves(cluster.nodes()));
 *   if (!cut.verified()) throw new AssertionError(cut);
 * }
 * }</pre>
 *
 * Every node process is killed on {@link #close()} and, should the bench die first, by a shutdown
 * hook. Faults are applied one at a time; see {@link Cluster} for what each verifies and {@link
 * NamedNodeCluster} for the flow this class supplies the mechanics of: signals to processes.
 */
public final class LocalCluster extends NamedNodeCluster<LocalNode> {

  private final LocalClusterConfig config;
  private final LocalMesh mesh;
  private final NodeLauncher launcher;
  private final MeshFaults meshFaults;

  private LocalCluster(LocalClusterConfig config, LocalMesh mesh) {
    super(config);
    this.config = config;
    this.mesh = mesh;
    this.launcher = new NodeLauncher(config, admin());
    this.meshFaults =
        new MeshFaults(
            mesh,
            views(),
            faults(),
            config.allNames(),
            this::node,
            this::running,
            this::runningMembers);
  }

  /**
   * Prepares the cluster: ports, directories and every mesh link (the spares' too). Starts no node.
   *
   * @throws IllegalArgumentException if the node jar is missing (with how to build it), or the
   *     output directory holds another cluster's nodes
   */
  public static LocalCluster create(LocalClusterConfig config) throws IOException {
    if (!Files.isRegularFile(config.nodeJar())) {
      throw new IllegalArgumentException(
          "node jar: "
              + config.nodeJar().toAbsolutePath()
              + " does not exist (expected: the node's runnable jar; build it with mvn -pl node -am"
              + " package -DskipTests)");
    }
    requireFreshNodesDir(
        config.outDir(),
        "a fresh output directory per cluster, so no node starts on another run's data");
    LocalMesh mesh = LocalMesh.start(config.toxiproxy(), config.proxySeed());
    LocalCluster cluster = new LocalCluster(config, mesh);
    try {
      cluster.prepare(PortAllocator.forLoopback());
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void prepare(PortAllocator ports) throws IOException {
    if (config.tls()) {
      // The same code as `meld-node certs`; a fresh directory per cluster, like the nodes'.
      new DevCertificates(Instant.now(), Duration.ofDays(7))
          .write(config.certsDir(), config.allNames(), List.of("127.0.0.1", "localhost"));
    }
    Path nodesDir = logDir();
    for (String name : config.allNames()) {
      add(new LocalNode(name, ports, nodesDir));
    }
    for (LocalNode from : allNodes().values()) {
      for (LocalNode to : allNodes().values()) {
        if (from != to) {
          from.dial(to.name(), mesh.addLink(from.name(), to.name(), ports.next(), to.mesh()));
        }
      }
    }
  }

  @Override
  public String backend() {
    return "local";
  }

  @Override
  public Optional<String> unsupported(FaultKind kind) {
    if (kind == FaultKind.CLOCK_OFFSET && config.faketime().isEmpty()) {
      return Optional.of("libfaketime is not installed (install it: " + Faketime.INSTALL + ")");
    }
    return super.unsupported(kind);
  }

  /** Where clients reach {@code node} (its RESP port). */
  public InetSocketAddress clientAddress(String node) {
    return node(node).client();
  }

  /** The process id of the node's current process, if it has one. */
  public Optional<Long> pid(String node) {
    return node(node).process().filter(ChildProcess::alive).map(ChildProcess::pid);
  }

  @Override
  public void close() {
    for (LocalNode n : allNodes().values()) {
      n.forceStop();
    }
    mesh.close();
  }

  @Override
  protected LinkFaults linkFaults() {
    return meshFaults;
  }

  @Override
  protected void launch(LocalNode n, List<String> seeds) throws IOException {
    Map<String, InetSocketAddress> from = new LinkedHashMap<>();
    for (String m : seeds) {
      from.put(m, node(m).mesh());
    }
    launcher.seeds(n.name(), from);
    launcher.launch(n);
  }

  @Override
  protected String awaitReady(LocalNode n) throws Exception {
    return launcher.awaitReady(n);
  }

  @Override
  protected String killNode(LocalNode n) throws Exception {
    ChildProcess p = n.process().orElseThrow();
    boolean gone = p.kill();
    n.state(NodeState.DOWN);
    NotVerified.check(gone, "pid " + p.pid() + " still alive after SIGKILL");
    return "SIGKILL pid " + p.pid() + ": process gone";
  }

  @Override
  protected String restartNode(LocalNode n) throws Exception {
    launcher.launch(n);
    return launcher.awaitReady(n);
  }

  @Override
  protected String freeze(LocalNode n) throws Exception {
    ChildProcess p = n.process().orElseThrow();
    boolean stopped = p.pause();
    n.state(NodeState.PAUSED);
    NotVerified.check(stopped, "pid " + p.pid() + " not in state T after SIGSTOP");
    return "SIGSTOP pid " + p.pid() + ": kernel state T";
  }

  @Override
  protected String freezeName() {
    return "SIGSTOP";
  }

  @Override
  protected String thaw(LocalNode n) throws Exception {
    ChildProcess p = n.process().orElseThrow();
    boolean running = p.resume();
    n.state(NodeState.RUNNING);
    NotVerified.check(running, "pid " + p.pid() + " still stopped after SIGCONT");
    return "SIGCONT pid " + p.pid();
  }

  @Override
  protected String thawName() {
    return "SIGCONT";
  }

  @Override
  protected String stopGracefully(LocalNode n, String how) throws Exception {
    return launcher.stopGracefully(n, how);
  }

  @Override
  protected String stopForWipe(LocalNode n) throws Exception {
    String before = answers(n.name()) ? "incarnation " + health(n.name()).incarnation() : "down";
    n.forceStop();
    n.state(NodeState.DOWN);
    return before;
  }
}
