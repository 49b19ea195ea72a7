package dev.meld.chaos.cluster;

import dev.meld.chaos.cluster.FaultReceipt.Status;
import dev.meld.chaos.nemesis.Grudge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Cluster} of named nodes with states, whatever runs them: which states each fault starts
 * from and leaves, its receipt, how it is verified through the admin port (readiness, silence when
 * paused, the clock, membership views). Subclasses supply the mechanics: start a node, signal it,
 * pause and resume it, and the mesh ({@link #linkFaults()}).
 *
 * @param <N> the backend's node
 */
public abstract class NamedNodeCluster<N extends ClusterNode> implements Cluster {

  /** A stopped node cannot answer at all; this long without an answer shows it. */
  protected static final Duration PAUSED_SILENCE = Duration.ofSeconds(1);

  private final ClusterSettings config;
  /** The run's admin token: every node is started with it, and POST /leave sends it. */
  private final String adminToken = randomToken();
  private final AdminHttp admin;
  private final AdminHttp silenceProbe;
  private final PeerViews views;
  private final FaultRunner faults;
  private final Map<String, N> nodes = new LinkedHashMap<>();
  private final List<String> members = new ArrayList<>();

  protected NamedNodeCluster(ClusterSettings config) {
    this.config = config;
    this.admin = new AdminHttp(config.adminTimeout(), adminToken);
    this.silenceProbe = new AdminHttp(PAUSED_SILENCE);
    this.views = new PeerViews(this::health, config.viewTimeout());
    this.faults = new FaultRunner(logDir().resolve("faults.log"));
  }

  // ---- the mechanics each backend supplies ----

  /** The mesh faults. */
  protected abstract LinkFaults linkFaults();

  /** Starts the node's first run, seeded with {@code seeds} (member names); leaves it RUNNING. */
  protected abstract void launch(N n, List<String> seeds) throws Exception;

  /** Waits (bounded) until the node is ready; says how that was seen. */
  protected abstract String awaitReady(N n) throws Exception;

  /** SIGKILL, leaving the node DOWN; verified when it is gone. */
  protected abstract String killNode(N n) throws Exception;

  /** Starts a DOWN node again on its data; verified when it is ready. */
  protected abstract String restartNode(N n) throws Exception;

  /** Stops the node's execution, leaving it PAUSED; verified by the backend's own view. */
  protected abstract String freeze(N n) throws Exception;

  /** What {@link #freeze} does, for messages ("SIGSTOP"). */
  protected abstract String freezeName();

  /** Lets a PAUSED node run again, leaving it RUNNING; verified by the backend's own view. */
  protected abstract String thaw(N n) throws Exception;

  /** What {@link #thaw} does, for messages ("SIGCONT"). */
  protected abstract String thawName();

  /** SIGTERM and wait, leaving the node DOWN; verified by its exit code and drain log line. */
  protected abstract String stopGracefully(N n, String how) throws Exception;

  /** Stops the node hard for a wipe, leaving it DOWN; says what it was before. */
  protected abstract String stopForWipe(N n) throws Exception;

  // ---- the Cluster ----

  @Override
  public synchronized List<String> nodes() {
    return List.copyOf(members);
  }

  @Override
  public void start() throws Exception {
    for (String name : config.initialNames()) {
      launch(node(name), config.initialNames());
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
    if (config.tls()) {
      return new JedisNodeClient(node, node(node).client(), timeout, clientSsl());
    }
    return new JedisNodeClient(node, node(node).client(), timeout);
  }

  private javax.net.ssl.SSLSocketFactory clientSsl;

  /** The tool certificate's TLS, built once per cluster (the files do not change during a run). */
  private synchronized javax.net.ssl.SSLSocketFactory clientSsl() {
    if (clientSsl == null) {
      Path certs = config.certsDir();
      clientSsl =
          dev.meld.node.tls.ClientSsl.context(
                  certs.resolve("ca.pem"), certs.resolve("client.pem"), certs.resolve("client-key.pem"))
              .getSocketFactory();
    }
    return clientSsl;
  }

  @Override
  public NodeHealth health(String node) throws NodeUnreachable {
    return admin.health(node, node(node).admin());
  }

  @Override
  public Optional<String> unsupported(FaultKind kind) {
    if ((kind == FaultKind.JOIN || kind == FaultKind.LEAVE) && config.spares() == 0) {
      return Optional.of(
          "no spare node names reserved (" + config.getClass().getSimpleName() + " spares: 0)");
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
    N n = requireState(node, NodeState.RUNNING, NodeState.PAUSED);
    return faults.apply(FaultKind.KILL, List.of(node), () -> killNode(n));
  }

  @Override
  public FaultReceipt restart(String node) {
    N n = requireState(node, NodeState.DOWN);
    return faults.apply(FaultKind.RESTART, List.of(node), () -> restartNode(n));
  }

  @Override
  public FaultReceipt pause(String node) {
    N n = requireState(node, NodeState.RUNNING);
    return faults.apply(
        FaultKind.PAUSE,
        List.of(node),
        () -> {
          String frozen = freeze(n);
          NotVerified.check(
              !silenceProbe.answers(node, n.admin()),
              "still answers /health within " + PAUSED_SILENCE + " after " + freezeName());
          return frozen + ", /health does not answer";
        });
  }

  @Override
  public FaultReceipt resume(String node) {
    N n = requireState(node, NodeState.PAUSED);
    return faults.apply(
        FaultKind.RESUME,
        List.of(node),
        () -> {
          String thawed = thaw(n);
          NotVerified.check(
              Await.until(config.viewTimeout(), () -> answers(node)),
              "no /health answer within " + config.viewTimeout() + " after " + thawName());
          return thawed + ": running, /health answers";
        });
  }

  @Override
  public FaultReceipt terminate(String node) {
    N n = requireState(node, NodeState.RUNNING);
    return faults.apply(FaultKind.TERMINATE, List.of(node), () -> stopGracefully(n, "SIGTERM"));
  }

  @Override
  public FaultReceipt wipe(String node) {
    N n = requireState(node, NodeState.RUNNING, NodeState.PAUSED, NodeState.DOWN);
    return faults.apply(
        FaultKind.WIPE,
        List.of(node),
        () -> {
          String before = stopForWipe(n);
          NotVerified.check(n.destroyData(), "data directory " + n.dataDir() + " still exists");
          return "killed ("
              + before
              + "), data directory destroyed, restarted empty: "
              + restartNode(n);
        });
  }

  @Override
  public FaultReceipt backup(String node, String copy) {
    N n = node(node);
    Path to = n.copyDir(copy);
    Optional<FaultReceipt> skipped = skipped(FaultKind.BACKUP, node);
    if (skipped.isPresent()) {
      return skipped.get();
    }
    requireState(node, NodeState.RUNNING);
    return faults.apply(
        FaultKind.BACKUP,
        List.of(node),
        () -> {
          String stopped;
          String copied;
          try {
            stopped = stopGracefully(n, "backup: SIGTERM");
            copied = NodeCopies.take(n.dataDir(), to);
          } catch (Exception e) {
            // The node must not stay down for the rest of the run because its backup failed.
            throw new NotVerified(
                (e instanceof NotVerified ? e.getMessage() : e.toString())
                    + "; no copy taken; "
                    + startAgain(n));
          }
          return stopped + "; " + copied + "; restarted: " + restartNode(n);
        });
  }

  @Override
  public FaultReceipt restore(String node, String copy) {
    N n = node(node);
    Path from = n.copyDir(copy);
    Optional<FaultReceipt> skipped = skipped(FaultKind.RESTORE, node);
    if (skipped.isPresent()) {
      return skipped.get();
    }
    requireState(node, NodeState.RUNNING, NodeState.PAUSED, NodeState.DOWN);
    return faults.apply(
        FaultKind.RESTORE,
        List.of(node),
        () -> {
          NotVerified.check(
              Files.isDirectory(from),
              "no copy \"" + copy + "\" of " + node + " at " + from
                  + " (its backup did not complete); the node is untouched");
          // Killed, not drained: its data is replaced anyway, and a drain across a partition
          // could not complete.
          String before = stopForWipe(n);
          String put = NodeCopies.putBack(from, n.dataDir());
          String ready = restartNode(n);
          NotVerified.check(
              NodeCopies.markConsumed(n.dataDir()),
              "ready, but the restored mark is still in " + n.dataDir() + ": the node did not open the copy as restored");
          return "killed (" + before + "), " + put + "; the node consumed the mark; restarted: " + ready;
        });
  }

  /** A SKIPPED receipt if this cluster cannot inject faults of {@code kind}. */
  private Optional<FaultReceipt> skipped(FaultKind kind, String node) {
    return unsupported(kind)
        .map(
            why -> {
              Instant now = Instant.now();
              return new FaultReceipt(kind, List.of(node), now, now, Status.SKIPPED, why);
            });
  }

  /** Starts a node left down by a failed step; says how that went, never throws. */
  private String startAgain(N n) {
    if (n.state() != NodeState.DOWN) {
      return "still " + n.state();
    }
    try {
      return "restarted: " + restartNode(n);
    } catch (Exception e) {
      return "restart failed too: " + e.getMessage();
    }
  }

  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    return linkFaults().partition(grudge);
  }

  @Override
  public FaultReceipt heal() {
    return linkFaults().heal(nodes());
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    return linkFaults().slow(from, to, latency, jitter);
  }

  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    return linkFaults().lossy(from, to, probability);
  }

  @Override
  public FaultReceipt clockOffset(String node, Duration offset) {
    N n = node(node);
    Optional<String> unsupported = unsupported(FaultKind.CLOCK_OFFSET);
    if (unsupported.isPresent()) {
      Instant now = Instant.now();
      return new FaultReceipt(
          FaultKind.CLOCK_OFFSET, List.of(node), now, now, Status.SKIPPED, unsupported.get());
    }
    requireState(node, NodeState.RUNNING);
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
    N n = requireState(node, NodeState.NEW);
    if (!config.spareNames().contains(node)) {
      throw new IllegalArgumentException(
          "join: " + node + " (expected: a spare name, one of " + config.spareNames() + ")");
    }
    return faults.apply(
        FaultKind.JOIN,
        List.of(node),
        () -> {
          launch(n, nodes());
          String ready = awaitReady(n);
          synchronized (this) {
            members.add(node);
          }
          return ready + "; " + views.awaitMember(node, true, runningMembers());
        });
  }

  @Override
  public FaultReceipt leave(String node) {
    N n = requireState(node, NodeState.RUNNING);
    return faults.apply(
        FaultKind.LEAVE,
        List.of(node),
        () -> {
          String asked = admin.leave(node, n.admin());
          String stopped = stopGracefully(n, "leave");
          n.state(NodeState.LEFT);
          synchronized (this) {
            members.remove(node);
          }
          return asked + "; " + stopped + "; " + views.awaitMember(node, false, runningMembers());
        });
  }

  @Override
  public final Path logDir() {
    return config.outDir().resolve("nodes");
  }

  // ---- for the subclasses ----

  /**
   * Refuses an output directory whose {@code nodes/} already holds nodes.
   *
   * @param expected what the message says is expected instead
   * @throws IllegalArgumentException if {@code outDir/nodes} is a directory that is not empty
   */
  protected static void requireFreshNodesDir(Path outDir, String expected) throws IOException {
    Path nodesDir = outDir.resolve("nodes");
    if (Files.isDirectory(nodesDir)) {
      try (var entries = Files.list(nodesDir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "nodes directory: "
                  + nodesDir.toAbsolutePath()
                  + " is not empty (expected: "
                  + expected
                  + ")");
        }
      }
    }
  }

  /**
   * Adds a node by its name (every name, the spares' too, before any fault), and writes the run's
   * admin token where its command line says.
   */
  protected final void add(N n) {
    try {
      n.writeAdminToken(adminToken);
    } catch (IOException e) {
      throw new UncheckedIOException("node " + n.name() + ": cannot write its admin token", e);
    }
    nodes.put(n.name(), n);
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Every node by name, the spares too, in the config's order (a live, read-only view). */
  protected final Map<String, N> allNodes() {
    return Collections.unmodifiableMap(nodes);
  }

  protected final AdminHttp admin() {
    return admin;
  }

  protected final PeerViews views() {
    return views;
  }

  protected final FaultRunner faults() {
    return faults;
  }

  /** Whether {@code /health} answers within the admin timeout. */
  protected final boolean answers(String node) {
    return admin.answers(node, node(node).admin());
  }

  protected final boolean running(String node) {
    return node(node).state() == NodeState.RUNNING;
  }

  protected final List<String> runningMembers() {
    return nodes().stream().filter(this::running).toList();
  }

  /**
   * The node named {@code name}.
   *
   * @throws IllegalArgumentException for a name the cluster does not have
   */
  protected final N node(String name) {
    N n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException(
          "node: " + name + " (expected one of " + nodes.keySet() + ")");
    }
    return n;
  }

  private N requireState(String name, NodeState... allowed) {
    N n = node(name);
    for (NodeState s : allowed) {
      if (n.state() == s) {
        return n;
      }
    }
    throw new IllegalStateException(
        "node " + name + ": " + n.state() + " (expected: " + List.of(allowed) + ")");
  }
}
