package dev.meld.chaos.cluster;

import dev.meld.chaos.cluster.FaultReceipt.Status;
import dev.meld.chaos.cluster.LocalMesh.Link;
import dev.meld.chaos.cluster.LocalNode.State;
import dev.meld.chaos.nemesis.Grudge;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * hook. Faults are applied one at a time; see {@link Cluster} for what each verifies.
 */
public final class LocalCluster implements Cluster {

  /** A stopped process cannot answer at all; this long without an answer shows it. */
  private static final Duration PAUSED_SILENCE = Duration.ofSeconds(1);

  private final LocalClusterConfig config;
  private final LocalMesh mesh;
  private final AdminHttp admin;
  private final AdminHttp silenceProbe;
  private final Map<String, LocalNode> nodes = new LinkedHashMap<>();
  private final List<String> members = new ArrayList<>();
  private final PeerViews views;
  private final NodeLauncher launcher;
  private final FaultRunner faults;

  private LocalCluster(LocalClusterConfig config, LocalMesh mesh) {
    this.config = config;
    this.mesh = mesh;
    this.admin = new AdminHttp(config.adminTimeout());
    this.silenceProbe = new AdminHttp(PAUSED_SILENCE);
    this.views = new PeerViews(this::health, config.viewTimeout());
    this.launcher = new NodeLauncher(config, admin);
    this.faults = new FaultRunner(logDir().resolve("faults.log"));
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
    Path nodesDir = config.outDir().resolve("nodes");
    if (Files.isDirectory(nodesDir)) {
      try (var entries = Files.list(nodesDir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "nodes directory: "
                  + nodesDir.toAbsolutePath()
                  + " is not empty (expected: a fresh output directory per cluster, so no node"
                  + " starts on another run's data)");
        }
      }
    }
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
    Path nodesDir = logDir();
    List<String> names = new ArrayList<>(config.initialNames());
    names.addAll(config.spareNames());
    for (String name : names) {
      nodes.put(name, new LocalNode(name, ports, nodesDir));
    }
    for (LocalNode from : nodes.values()) {
      for (LocalNode to : nodes.values()) {
        if (from != to) {
          from.dial(to.name(), mesh.addLink(from.name(), to.name(), ports.next(), to.mesh()));
        }
      }
    }
    Map<String, InetSocketAddress> initial = new LinkedHashMap<>();
    for (String name : config.initialNames()) {
      initial.put(name, nodes.get(name).mesh());
    }
    for (String name : config.initialNames()) {
      launcher.seeds(name, initial);
    }
  }

  @Override
  public String backend() {
    return "local";
  }

  @Override
  public synchronized List<String> nodes() {
    return List.copyOf(members);
  }

  @Override
  public void start() throws Exception {
    for (String name : config.initialNames()) {
      launcher.launch(node(name));
      synchronized (this) {
        members.add(name);
      }
    }
    for (String name : config.initialNames()) {
      launcher.awaitReady(node(name));
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
    if (kind == FaultKind.CLOCK_OFFSET && config.faketime().isEmpty()) {
      return Optional.of("libfaketime is not installed (install it: " + Faketime.INSTALL + ")");
    }
    if ((kind == FaultKind.JOIN || kind == FaultKind.LEAVE) && config.spares() == 0) {
      return Optional.of("no spare node names reserved (LocalClusterConfig spares: 0)");
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
    LocalNode n = requireState(node, State.RUNNING, State.PAUSED);
    return faults.apply(
        FaultKind.KILL,
        List.of(node),
        () -> {
          ChildProcess p = n.process().orElseThrow();
          boolean gone = p.kill();
          n.state(State.DOWN);
          NotVerified.check(gone, "pid " + p.pid() + " still alive after SIGKILL");
          return "SIGKILL pid " + p.pid() + ": process gone";
        });
  }

  @Override
  public FaultReceipt restart(String node) {
    LocalNode n = requireState(node, State.DOWN);
    return faults.apply(
        FaultKind.RESTART,
        List.of(node),
        () -> {
          launcher.launch(n);
          return launcher.awaitReady(n);
        });
  }

  @Override
  public FaultReceipt pause(String node) {
    LocalNode n = requireState(node, State.RUNNING);
    return faults.apply(
        FaultKind.PAUSE,
        List.of(node),
        () -> {
          ChildProcess p = n.process().orElseThrow();
          boolean stopped = p.pause();
          n.state(State.PAUSED);
          NotVerified.check(stopped, "pid " + p.pid() + " not in state T after SIGSTOP");
          NotVerified.check(
              !answersQuickly(node),
              "still answers /health within " + PAUSED_SILENCE + " after SIGSTOP");
          return "SIGSTOP pid " + p.pid() + ": kernel state T, /health does not answer";
        });
  }

  @Override
  public FaultReceipt resume(String node) {
    LocalNode n = requireState(node, State.PAUSED);
    return faults.apply(
        FaultKind.RESUME,
        List.of(node),
        () -> {
          ChildProcess p = n.process().orElseThrow();
          boolean running = p.resume();
          n.state(State.RUNNING);
          NotVerified.check(running, "pid " + p.pid() + " still stopped after SIGCONT");
          NotVerified.check(
              Await.until(config.viewTimeout(), () -> answers(node)),
              "no /health answer within " + config.viewTimeout() + " after SIGCONT");
          return "SIGCONT pid " + p.pid() + ": running, /health answers";
        });
  }

  @Override
  public FaultReceipt terminate(String node) {
    LocalNode n = requireState(node, State.RUNNING);
    return faults.apply(
        FaultKind.TERMINATE, List.of(node), () -> launcher.stopGracefully(n, "SIGTERM"));
  }

  @Override
  public FaultReceipt wipe(String node) {
    LocalNode n = requireState(node, State.RUNNING, State.PAUSED, State.DOWN);
    return faults.apply(
        FaultKind.WIPE,
        List.of(node),
        () -> {
          String before = answers(node) ? "incarnation " + health(node).incarnation() : "down";
          n.forceStop();
          n.state(State.DOWN);
          NotVerified.check(n.destroyData(), "data directory " + n.dataDir() + " still exists");
          launcher.launch(n);
          return "killed ("
              + before
              + "), data directory destroyed, restarted empty: "
              + launcher.awaitReady(n);
        });
  }

  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    Set<Link> cut = new LinkedHashSet<>();
    grudge
        .drops()
        .forEach(
            (receiver, senders) -> {
              for (String sender : senders) {
                if (!sender.equals(receiver)) {
                  node(sender);
                  node(receiver);
                  cut.add(new Link(sender, receiver));
                }
              }
            });
    return faults.apply(
        FaultKind.PARTITION,
        partitioned(cut),
        () -> {
          String links = mesh.cutExactly(cut);
          return links + "; " + views.awaitCut(cut, this::running);
        });
  }

  /** Every node on either end of a cut link, in the order of the cluster's nodes. */
  private List<String> partitioned(Set<Link> cut) {
    List<String> targets = new ArrayList<>();
    for (String node : nodes.keySet()) {
      if (cut.stream().anyMatch(l -> l.from().equals(node) || l.to().equals(node))) {
        targets.add(node);
      }
    }
    return targets;
  }

  @Override
  public FaultReceipt heal() {
    return faults.apply(
        FaultKind.HEAL,
        nodes(),
        () -> {
          String links = mesh.healAll();
          return links + "; " + views.awaitConnected(runningMembers());
        });
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    Link link = link(from, to);
    if (latency.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException(
          "latency: " + latency + ", jitter: " + jitter + " (expected: both >= 0)");
    }
    return faults.apply(FaultKind.SLOW, List.of(from, to), () -> mesh.slow(link, latency, jitter));
  }

  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    Link link = link(from, to);
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability: " + probability + " (expected: in (0, 1])");
    }
    return faults.apply(FaultKind.LOSSY, List.of(from, to), () -> mesh.lossy(link, probability));
  }

  @Override
  public FaultReceipt clockOffset(String node, Duration offset) {
    LocalNode n = node(node);
    Optional<String> unsupported = unsupported(FaultKind.CLOCK_OFFSET);
    if (unsupported.isPresent()) {
      Instant now = Instant.now();
      return new FaultReceipt(
          FaultKind.CLOCK_OFFSET, List.of(node), now, now, Status.SKIPPED, unsupported.get());
    }
    requireState(node, State.RUNNING);
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
    LocalNode n = requireState(node, State.NEW);
    if (!config.spareNames().contains(node)) {
      throw new IllegalArgumentException(
          "join: " + node + " (expected: a spare name, one of " + config.spareNames() + ")");
    }
    return faults.apply(
        FaultKind.JOIN,
        List.of(node),
        () -> {
          Map<String, InetSocketAddress> current = new LinkedHashMap<>();
          for (String m : nodes()) {
            current.put(m, node(m).mesh());
          }
          launcher.seeds(node, current);
          launcher.launch(n);
          String ready = launcher.awaitReady(n);
          synchronized (this) {
            members.add(node);
          }
          return ready + "; " + views.awaitMember(node, true, runningMembers());
        });
  }

  @Override
  public FaultReceipt leave(String node) {
    LocalNode n = requireState(node, State.RUNNING);
    return faults.apply(
        FaultKind.LEAVE,
        List.of(node),
        () -> {
          String asked = admin.leave(node, n.admin());
          String stopped = launcher.stopGracefully(n, "leave");
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
    for (LocalNode n : nodes.values()) {
      n.forceStop();
    }
    mesh.close();
  }

  private boolean answers(String node) {
    try {
      health(node);
      return true;
    } catch (NodeUnreachable e) {
      return false;
    }
  }

  private boolean answersQuickly(String node) {
    try {
      silenceProbe.health(node, node(node).admin());
      return true;
    } catch (NodeUnreachable e) {
      return false;
    }
  }

  private boolean running(String node) {
    return node(node).state() == State.RUNNING;
  }

  private List<String> runningMembers() {
    return nodes().stream().filter(this::running).toList();
  }

  private LocalNode node(String name) {
    LocalNode n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException(
          "node: " + name + " (expected one of " + nodes.keySet() + ")");
    }
    return n;
  }

  private Link link(String from, String to) {
    node(from);
    node(to);
    if (from.equals(to)) {
      throw new IllegalArgumentException("link: " + from + "->" + to + " (expected: two nodes)");
    }
    return new Link(from, to);
  }

  private LocalNode requireState(String name, State... allowed) {
    LocalNode n = node(name);
    for (State s : allowed) {
      if (n.state() == s) {
        return n;
      }
    }
    throw new IllegalStateException(
        "node " + name + ": " + n.state() + " (expected: " + List.of(allowed) + ")");
  }
}
