package dev.meld.chaos.docker;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.meld.chaos.cluster.AdminHttp;
import dev.meld.chaos.cluster.Await;
import dev.meld.chaos.cluster.ClockCheck;
import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.DrainLog;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.cluster.FaultRunner;
import dev.meld.chaos.cluster.Faketime;
import dev.meld.chaos.cluster.JedisNodeClient;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeHealth;
import dev.meld.chaos.cluster.NodeUnreachable;
import dev.meld.chaos.cluster.NotVerified;
import dev.meld.chaos.cluster.PeerViews;
import dev.meld.chaos.docker.DockerNode.State;
import dev.meld.chaos.nemesis.Grudge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
public final class DockerCluster implements Cluster {

  private static final Duration PAUSED_SILENCE = Duration.ofSeconds(1);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(15);

  private final DockerClusterConfig config;
  private final DockerOps ops;
  private final DockerNetworks networks;
  private final AdminHttp admin;
  private final AdminHttp silenceProbe;
  private final PeerViews views;
  private final FaultRunner faults;
  private final Map<String, DockerNode> nodes = new LinkedHashMap<>();
  private final List<String> members = new ArrayList<>();
  private final Thread cleanup;
  private final DockerMeshFaults mesh;

  private DockerCluster(DockerClusterConfig config, DockerOps ops, DockerNetworks networks) {
    this.config = config;
    this.ops = ops;
    this.networks = networks;
    this.admin = new AdminHttp(config.adminTimeout());
    this.silenceProbe = new AdminHttp(PAUSED_SILENCE);
    this.views = new PeerViews(this::health, config.viewTimeout());
    this.faults = new FaultRunner(logDir().resolve("faults.log"));
    for (String name : config.allNames()) {
      nodes.put(name, new DockerNode(name, networks.subnets(), logDir()));
    }
    this.mesh =
        new DockerMeshFaults(
            ops, views, faults, nodes, config.allNames(), this::running, this::runningMembers);
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
    Path nodesDir = config.outDir().resolve("nodes");
    if (Files.isDirectory(nodesDir)) {
      try (var entries = Files.list(nodesDir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "nodes directory: "
                  + nodesDir.toAbsolutePath()
                  + " is not empty (expected: a fresh output directory per cluster)");
        }
      }
    }
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

  @Override
  public synchronized List<String> nodes() {
    return List.copyOf(members);
  }

  @Override
  public void start() throws Exception {
    Map<String, String> seeds = new LinkedHashMap<>();
    for (String name : config.initialNames()) {
      seeds.put(name, node(name).meshIp());
    }
    for (String name : config.initialNames()) {
      create(node(name), seeds);
      synchronized (this) {
        members.add(name);
      }
    }
    for (String name : config.initialNames()) {
      awaitReady(node(name));
    }
  }

  @Override
  public NodeClient client(String node) {
    return client(node, config.opTimeout());
  }

  @Override
  public NodeClient client(String node, Duration timeout) {
    return new JedisNodeClient(node, node(node).client(), timeout);
  }

  @Override
  public NodeHealth health(String node) throws NodeUnreachable {
    return admin.health(node, node(node).admin());
  }

  @Override
  public Optional<String> unsupported(FaultKind kind) {
    if ((kind == FaultKind.JOIN || kind == FaultKind.LEAVE) && config.spares() == 0) {
      return Optional.of("no spare node names reserved (DockerClusterConfig spares: 0)");
    }
    if (kind == FaultKind.LEAVE) {
      for (String node : runningMembers()) {
        try {
          return admin.hasEndpoint(node, node(node).admin(), "/leave")
              ? Optional.empty()
              : Optional.of("the node has no admin leave endpoint (POST /leave answers 404)");
        } catch (NodeUnreachable e) {
          // ask the next one
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public FaultReceipt kill(String node) {
    DockerNode n = requireState(node, State.RUNNING, State.PAUSED);
    return faults.apply(FaultKind.KILL, List.of(node), () -> "SIGKILL: " + stopHard(n));
  }

  @Override
  public FaultReceipt restart(String node) {
    DockerNode n = requireState(node, State.DOWN);
    return faults.apply(
        FaultKind.RESTART,
        List.of(node),
        () -> {
          n.beginRun("docker start " + n.containerId());
          ops.start(n.containerId());
          n.state(State.RUNNING);
          return "docker start: " + awaitReady(n);
        });
  }

  @Override
  public FaultReceipt pause(String node) {
    DockerNode n = requireState(node, State.RUNNING);
    return faults.apply(
        FaultKind.PAUSE,
        List.of(node),
        () -> {
          ops.pause(n.containerId());
          n.state(State.PAUSED);
          NotVerified.check(ops.state(n.containerId()).paused(), "docker pause: not paused");
          NotVerified.check(
              !silenceProbe.answers(node, n.admin()),
              "still answers /health within " + PAUSED_SILENCE + " after docker pause");
          return "docker pause: the engine reports it paused, /health does not answer";
        });
  }

  @Override
  public FaultReceipt resume(String node) {
    DockerNode n = requireState(node, State.PAUSED);
    return faults.apply(
        FaultKind.RESUME,
        List.of(node),
        () -> {
          ops.unpause(n.containerId());
          n.state(State.RUNNING);
          DockerOps.State s = ops.state(n.containerId());
          NotVerified.check(s.running() && !s.paused(), "docker unpause: " + s.status());
          // Mesh faults changed while it was frozen could not be applied then.
          mesh.apply(n);
          NotVerified.check(
              Await.until(config.viewTimeout(), () -> admin.answers(node, n.admin())),
              "no /health answer within " + config.viewTimeout() + " after docker unpause");
          return "docker unpause: running, /health answers";
        });
  }

  @Override
  public FaultReceipt terminate(String node) {
    DockerNode n = requireState(node, State.RUNNING);
    return faults.apply(FaultKind.TERMINATE, List.of(node), () -> stopGracefully(n, "SIGTERM"));
  }

  @Override
  public FaultReceipt wipe(String node) {
    DockerNode n = requireState(node, State.RUNNING, State.PAUSED, State.DOWN);
    return faults.apply(
        FaultKind.WIPE,
        List.of(node),
        () -> {
          String before =
              n.state() == State.RUNNING ? "incarnation " + health(node).incarnation() : "not answering";
          if (n.state() != State.DOWN) {
            stopHard(n);
          }
          NotVerified.check(n.destroyData(), "data directory " + n.dataDir() + " still exists");
          n.beginRun("docker start " + n.containerId() + " (wiped)");
          ops.start(n.containerId());
          n.state(State.RUNNING);
          return "killed ("
              + before
              + "), data directory destroyed, restarted empty: "
              + awaitReady(n);
        });
  }

  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    return mesh.partition(grudge);
  }

  @Override
  public FaultReceipt heal() {
    return mesh.heal(nodes());
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    return mesh.slow(from, to, latency, jitter);
  }

  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    return mesh.lossy(from, to, probability);
  }

  @Override
  public FaultReceipt clockOffset(String node, Duration offset) {
    DockerNode n = requireState(node, State.RUNNING);
    return faults.apply(
        FaultKind.CLOCK_OFFSET,
        List.of(node),
        () -> {
          Faketime.writeOffset(n.clockFile(), offset);
          return ClockCheck.await(
              () -> health(node).wallClockMillis(),
              offset,
              config.clockTolerance(),
              Faketime.CACHE.multipliedBy(3).plus(config.adminTimeout()));
        });
  }

  @Override
  public FaultReceipt join(String node) {
    DockerNode n = requireState(node, State.NEW);
    if (!config.spareNames().contains(node)) {
      throw new IllegalArgumentException(
          "join: " + node + " (expected: a spare name, one of " + config.spareNames() + ")");
    }
    return faults.apply(
        FaultKind.JOIN,
        List.of(node),
        () -> {
          Map<String, String> seeds = new LinkedHashMap<>();
          for (String m : nodes()) {
            seeds.put(m, node(m).meshIp());
          }
          seeds.put(node, n.meshIp());
          create(n, seeds);
          String ready = awaitReady(n);
          synchronized (this) {
            members.add(node);
          }
          return ready + "; " + views.awaitMember(node, true, runningMembers());
        });
  }

  @Override
  public FaultReceipt leave(String node) {
    DockerNode n = requireState(node, State.RUNNING);
    return faults.apply(
        FaultKind.LEAVE,
        List.of(node),
        () -> {
          String asked = admin.leave(node, n.admin());
          String stopped = stopGracefully(n, "leave");
          n.state(State.LEFT);
          synchronized (this) {
            members.remove(node);
          }
          return asked + "; " + stopped + "; " + views.awaitMember(node, false, runningMembers());
        });
  }

  @Override
  public Path logDir() {
    return config.outDir().resolve("nodes");
  }

  /** The run prefix of every container and network name. */
  public String runPrefix() {
    return config.runPrefix();
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

  /** Creates and starts the node's container on both networks. */
  private void create(DockerNode n, Map<String, String> seeds) throws IOException {
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
    n.state(State.RUNNING);
  }

  /** Waits (bounded) until /ready answers 200 on the edge; fails early if the container exits. */
  private String awaitReady(DockerNode n) throws Exception {
    long[] incarnation = {-1};
    boolean ready =
        Await.until(
            config.readyTimeout(),
            () -> {
              DockerOps.State s = ops.state(n.containerId());
              if (!s.running()) {
                throw new NotVerified("exited");
              }
              if (!admin.ready(n.name(), n.admin())) {
                return false;
              }
              incarnation[0] = admin.health(n.name(), n.admin()).incarnation();
              return true;
            });
    if (!ready) {
      DockerOps.State s = ops.state(n.containerId());
      String why =
          s.running()
              ? "not ready within " + config.readyTimeout()
              : "exited with code " + s.exitCode();
      throw new NotVerified(
          "node " + n.name() + " " + why + "; log " + n.log() + " ends: " + DrainLog.tail(n.log(), 5));
    }
    return "container ready at " + n.edgeIp() + ", incarnation " + incarnation[0];
  }

  /** SIGKILL (unpausing first: a frozen container cannot be signalled to exit) and wait. */
  private String stopHard(DockerNode n) throws Exception {
    String id = n.containerId();
    if (ops.state(id).paused()) {
      ops.unpause(id);
    }
    ops.signal(id, "KILL");
    boolean stopped = ops.awaitStopped(id, KILL_TIMEOUT);
    n.state(State.DOWN);
    NotVerified.check(stopped, "container " + id + " still running " + KILL_TIMEOUT + " after SIGKILL");
    return "container exited with code " + ops.state(id).exitCode();
  }

  /** SIGTERM, wait; verified when the exit code is 0 and the log says the drain completed. */
  private String stopGracefully(DockerNode n, String how) throws Exception {
    String id = n.containerId();
    ops.signal(id, "TERM");
    boolean stopped = ops.awaitStopped(id, config.stopTimeout());
    n.state(State.DOWN);
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

  private boolean running(String node) {
    return node(node).state() == State.RUNNING;
  }

  private List<String> runningMembers() {
    return nodes().stream().filter(this::running).toList();
  }

  private DockerNode node(String name) {
    DockerNode n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("node: " + name + " (expected one of " + nodes.keySet() + ")");
    }
    return n;
  }

  private DockerNode requireState(String name, State... allowed) {
    DockerNode n = node(name);
    for (State s : allowed) {
      if (n.state() == s) {
        return n;
      }
    }
    throw new IllegalStateException(
        "node " + name + ": " + n.state() + " (expected: " + List.of(allowed) + ")");
  }
}
