package dev.meld.chaos.docker;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.meld.chaos.cluster.DrainLog;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.LinkFaults;
import dev.meld.chaos.cluster.NamedNodeCluster;
import dev.meld.chaos.cluster.NodeState;
import dev.meld.chaos.cluster.Faketime;
import dev.meld.chaos.cluster.NotVerified;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;

/**
 * A Meld cluster of containers from the debug node image. Every node sits on two networks made for
 * the run: the <b>mesh</b> (peer traffic, internal) and the <b>edge</b> (clients and the admin port,
 * reached from the bench at the node's edge address). Mesh faults are iptables and tc rules inside
 * the containers on mesh addresses only ({@link NetFaults}), so a partition cuts the mesh while
 * clients keep writing on both sides.
 *
 * <p>Node faults go through the engine: SIGKILL, SIGTERM and restarts are {@code docker kill
 * --signal} and {@code docker start} of the same container (its addresses, networks and data
 * survive), pause is {@code docker pause}, a wipe deletes the bind-mounted data directory between
 * a kill and a start. Clock faults rewrite the bind-mounted libfaketime offset file.
 *
 * <p>Every container and network carries the run's prefix in its name and a label; {@link #close()}
 * and, should the bench die first, a shutdown hook remove them (Testcontainers' reaper is off).
 *
 * <p>The flow of each fault (states, receipts, checks through the admin port) is {@link
 * NamedNodeCluster}'s; this class supplies the engine's mechanics.
 */
public final class DockerCluster extends NamedNodeCluster<DockerNode> {

  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(15);

  private final DockerClusterConfig config;
  private final DockerOps ops;
  private final DockerNetworks networks;
  private final Thread cleanup;
  private final DockerMeshFaults mesh;

  private DockerCluster(DockerClusterConfig config, DockerOps ops, DockerNetworks networks) {
    super(config);
    this.config = config;
    this.ops = ops;
    this.networks = networks;
    for (String name : config.allNames()) {
      add(new DockerNode(name, networks.subnets(), logDir()));
    }
    this.mesh =
        new DockerMeshFaults(
            ops,
            views(),
            faults(),
            allNodes(),
            config.allNames(),
            this::running,
            this::runningMembers);
    this.cleanup = new Thread(() -> ops.removeRun(config.runPrefix()), config.runPrefix() + "-cleanup");
  }

  /**
   * Creates the run's two networks; starts no node.
   *
   * @throws IllegalStateException if Testcontainers is not configured for this machine (its reaper
   *     on) or no engine answers
   */
  public static DockerCluster create(DockerClusterConfig config) throws IOException {
    DockerEnvironment.requireUsable();
    requireFreshNodesDir(config.outDir(), "a fresh output directory per cluster");
    DockerOps ops = new DockerOps(DockerClientFactory.instance().client());
    DockerNetworks networks = DockerNetworks.create(ops, config.runPrefix());
    DockerCluster cluster = new DockerCluster(config, ops, networks);
    Runtime.getRuntime().addShutdownHook(cluster.cleanup);
    return cluster;
  }

  @Override
  public String backend() {
    return "docker";
  }

  /**
   * Backup and restore steps are refused: their flow ({@link NamedNodeCluster#backup}) copies the
   * bind-mounted data directory on the host, which would work here too, but it has never run
   * against an engine, and a fault the bench has not seen work is not offered.
   */
  @Override
  public Optional<String> unsupported(FaultKind kind) {
    if (kind == FaultKind.BACKUP || kind == FaultKind.RESTORE) {
      return Optional.of(
          "the docker backend does not take or restore backups yet (run the scenario with --backend local)");
    }
    return super.unsupported(kind);
  }

  @Override
  public void close() {
    ops.removeRun(config.runPrefix());
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway, and removing twice is harmless
    }
  }

  @Override
  protected LinkFaults linkFaults() {
    return mesh;
  }

  /** Creates and starts the node's container on both networks, seeded with itself and {@code seeds}. */
  @Override
  protected void launch(DockerNode n, List<String> seeds) throws IOException {
    Map<String, String> meshIps = new LinkedHashMap<>();
    for (String m : seeds) {
      meshIps.put(m, node(m).meshIp());
    }
    meshIps.put(n.name(), n.meshIp());
    startContainer(n, meshIps);
  }

  @Override
  protected String killNode(DockerNode n) throws Exception {
    return "SIGKILL: " + stopHard(n);
  }

  @Override
  protected String restartNode(DockerNode n) throws Exception {
    n.beginRun("docker start " + n.containerId());
    ops.start(n.containerId());
    n.state(NodeState.RUNNING);
    return "docker start: " + awaitReady(n);
  }

  @Override
  protected String freeze(DockerNode n) throws Exception {
    ops.pause(n.containerId());
    n.state(NodeState.PAUSED);
    NotVerified.check(ops.state(n.containerId()).paused(), "docker pause: not paused");
    return "docker pause: the engine reports it paused";
  }

  @Override
  protected String freezeName() {
    return "docker pause";
  }

  @Override
  protected String thaw(DockerNode n) throws Exception {
    ops.unpause(n.containerId());
    n.state(NodeState.RUNNING);
    DockerOps.State s = ops.state(n.containerId());
    NotVerified.check(s.running() && !s.paused(), "docker unpause: " + s.status());
    // Mesh faults changed while it was frozen could not be applied then.
    mesh.apply(n);
    return thawName();
  }

  @Override
  protected String thawName() {
    return "docker unpause";
  }

  @Override
  protected String stopForWipe(DockerNode n) throws Exception {
    String before =
        n.state() == NodeState.RUNNING
            ? "incarnation " + health(n.name()).incarnation()
            : "not answering";
    if (n.state() != NodeState.DOWN) {
      stopHard(n);
    }
    return before;
  }

  /** Creates and starts the node's container on both networks. */
  private void startContainer(DockerNode n, Map<String, String> seeds) throws IOException {
    Files.createDirectories(n.dataDir());
    if (!Files.exists(n.clockFile())) {
      Faketime.writeOffset(n.clockFile(), Duration.ZERO);
    }
    n.faults(n.faults());
    List<String> args =
        NodeCommand.args(
            n.name(), config.clusterName(), seeds, config.misbehaviors(), config.nodeArgs());
    String containerName = config.runPrefix() + "-" + n.name();
    n.beginRun("container " + containerName + " " + String.join(" ", args));
    Map<String, String> env = new LinkedHashMap<>();
    env.putAll(
        Faketime.environment(Path.of(config.faketimeLibrary()), Path.of(NodeCommand.CLOCK)));
    @SuppressWarnings("resource") // removed by label in close(), not by Testcontainers
    GenericContainer<?> container =
        new GenericContainer<>(config.image())
            .withNetwork(networks.mesh())
            .withEnv(env)
            .withLabel(RunPrefix.LABEL, config.runPrefix())
            .withFileSystemBind(n.dir().toAbsolutePath().toString(), NodeCommand.RUN_DIR, BindMode.READ_WRITE)
            .withFileSystemBind(
                n.dataDir().toAbsolutePath().toString(), NodeCommand.DATA_DIR, BindMode.READ_WRITE)
            .withCreateContainerCmdModifier(
                cmd -> {
                  cmd.withName(containerName);
                  cmd.withIpv4Address(n.meshIp());
                  cmd.withEntrypoint(NodeCommand.entrypoint(config.jvmOptions()));
                  cmd.withCmd(args);
                  cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN);
                });
    container.start();
    n.containerId(container.getContainerId());
    ops.client()
        .connectToNetworkCmd()
        .withNetworkId(networks.edgeId())
        .withContainerId(n.containerId())
        .withContainerNetwork(
            new ContainerNetwork()
                .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(n.edgeIp())))
        .exec();
    n.state(NodeState.RUNNING);
  }

  /** Waits (bounded) until /ready answers 200 on the edge. */
  @Override
  protected String awaitReady(DockerNode n) throws Exception {
    OptionalLong incarnation =
        admin()
            .awaitReady(
                n.name(), n.admin(), config.readyTimeout(), () -> ops.state(n.containerId()).running());
    if (incarnation.isEmpty()) {
      DockerOps.State s = ops.state(n.containerId());
      String why =
          s.running()
              ? "not ready within " + config.readyTimeout()
              : "exited with code " + s.exitCode();
      throw new NotVerified(
          "node " + n.name() + " " + why + "; log " + n.log() + " ends: " + DrainLog.tail(n.log(), 5));
    }
    return "container ready at " + n.edgeIp() + ", incarnation " + incarnation.getAsLong();
  }

  /** SIGKILL (unpausing first: a frozen container cannot be signalled to exit) and wait. */
  private String stopHard(DockerNode n) throws Exception {
    String id = n.containerId();
    if (ops.state(id).paused()) { // asks the engine: a pause that failed midway leaves no trace in our state
      ops.unpause(id);
    }
    ops.signal(id, "KILL");
    boolean stopped = ops.awaitStopped(id, KILL_TIMEOUT);
    n.state(NodeState.DOWN);
    NotVerified.check(stopped, "container " + id + " still running " + KILL_TIMEOUT + " after SIGKILL");
    return "container exited with code " + ops.state(id).exitCode();
  }

  /** SIGTERM, wait; verified when the exit code is 0 and the log says the drain completed. */
  @Override
  protected String stopGracefully(DockerNode n, String how) throws Exception {
    String id = n.containerId();
    ops.signal(id, "TERM");
    boolean stopped = ops.awaitStopped(id, config.stopTimeout());
    n.state(NodeState.DOWN);
    if (!stopped) {
      ops.signal(id, "KILL");
      ops.awaitStopped(id, KILL_TIMEOUT);
      throw new NotVerified(how + ": no exit within " + config.stopTimeout() + " (killed)");
    }
    long exit = ops.state(id).exitCode();
    Optional<String> drain = DrainLog.result(n.currentRunLog());
    String detail =
        how + ": container exited with code " + exit + ", drain " + drain.orElse("not reported in the log");
    NotVerified.check(exit == 0 && drain.map(DrainLog::completed).orElse(false), detail);
    return detail;
  }
}
