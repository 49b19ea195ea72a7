package dev.meld.node.server;

import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.DrainStatus;
import dev.meld.node.Member;
import dev.meld.node.Misbehavior;
import dev.meld.node.Outbox;
import dev.meld.node.Replica;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.admin.AdminConfig;
import dev.meld.node.admin.AdminServer;
import dev.meld.node.admin.ClientTable;
import dev.meld.node.admin.LeaveOutcome;
import dev.meld.node.admin.NodeMetrics;
import dev.meld.node.admin.NodeView;
import dev.meld.node.admin.RespMeters;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.resp.RespConfig;
import dev.meld.node.resp.RespServer;
import dev.meld.node.tls.ClientTls;
import dev.meld.node.tls.MeshTls;
import io.netty.handler.ssl.SslContext;
import dev.meld.node.identity.Identity;
import dev.meld.node.store.RocksRecordStore;
import dev.meld.node.store.RocksStoreOptions;
import dev.meld.node.store.StoreRecovery;
import dev.meld.node.transport.MeshCounters;
import dev.meld.node.transport.PeerLinkStats;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Meld node: its RocksDB store, its identity, its {@link Replica} on one replica thread,
 * and the ports around it (mesh, RESP, admin HTTP). Start one with {@link #start(NodeConfig)}; stop
 * it with {@link #close()}, which drains first. The shells reach the replica through the {@link
 * CommandGateway} this class implements.
 */
public final class NodeRuntime implements CommandGateway, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);

  private final NodeConfig config;
  private final long startedAt = System.currentTimeMillis();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final NodeView view = new View();
  private final NodeMetrics nodeMetrics = new NodeMetrics(metrics, view);
  private final StoreSize storeSize;
  private final StoreRecovery storeRecovery;
  private final ChangeTracker changes;
  private final ReplicaLoop loop;
  private Mesh mesh;
  private RespServer client;
  private RespServer tlsClient;
  private AdminServer admin;
  private volatile NodeInfo info;
  private volatile boolean serving;
  private volatile boolean stopping;
  private DrainStatus drained;
  private final CompletableFuture<DrainStatus> left = new CompletableFuture<>();

  /** Starts everything in order; on failure stops again what it started (see {@link #start}). */
  private NodeRuntime(NodeConfig config) {
    this.config = config;
    // Credentials first: a node refused for them must not have opened (or changed) anything.
    MeshTls meshTls = Mesh.credentials(config);
    SslContext clientTls =
        config.tls().clientBind() == null
            ? null
            : ClientTls.serverContext(config.tls().client(), config.tls().authClients());
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    this.storeSize = new StoreSize(config.dataDir(), 5_000);
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
    }
    PhysicalClock clock = PhysicalClock.system();
    SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    RocksRecordStore store =
        RocksRecordStore.open(
            config.dataDir(),
            KeyHashing::keyHash64,
            RocksStoreOptions.DEFAULTS
                .withSyncWrites(config.fsync())
                .withAcceptDataLoss(config.acceptDataLoss()));
    this.storeRecovery = store.recovery();
    ReplicaLoop started = null;
    try {
      // The identity first: the mesh handshake carries the incarnation, and the replica's member
      // address is the mesh port's bound address. Replica.open decides the same identity again.
      long incarnation =
          config.replica().has(Misbehavior.REUSE_INCARNATION)
              ? 0
              : Identity.open(
                      store,
                      config.nodeName(),
                      () -> Instant.ofEpochMilli(clock.currentTimeMillis()),
                      random)
                  .incarnation();
      this.mesh = Mesh.start(config, incarnation, meshTls);
      ReplicaConfig replicaConfig =
          config.replica().toBuilder().address(advertised(config, mesh.boundAddress())).build();
      Replica replica = Replica.open(replicaConfig, store, clock, random);
      this.changes = new ChangeTracker(store::get);
      started = new ReplicaLoop(replica, mesh, clock, config, nodeMetrics, changes);
      this.loop = started;
      this.info = info(replicaConfig, replica.replicaId().incarnation());
      mesh.deliverTo(loop);
      loop.onStatus(mesh::follow); // before start: the first call is on this thread
      loop.start();
      RespMeters meters = new RespMeters(metrics);
      // One client table and one budget of unfinished requests for the plain and the TLS port.
      RespConfig.Builder resp =
          RespConfig.builder()
              .password(config.password())
              .idleTimeoutMillis(config.clientIdleTimeoutMillis())
              .maxClients(config.maxClients())
              .maxUnfinishedRequestBytes(config.clientRequestBudgetBytes());
      InetSocketAddress tlsBind =
          config.tls().clientBind() == null ? null : Addresses.resolved(config.tls().clientBind());
      if (config.clientBind() != null) {
        client =
            RespServer.start(
                resp.bindAddress(Addresses.resolved(config.clientBind())).build(), this, meters);
        if (tlsBind != null) {
          tlsClient = client.alsoListen(tlsBind, clientTls);
        }
      } else if (tlsBind != null) {
        tlsClient = RespServer.start(resp.bindAddress(tlsBind).build(), clientTls, this, meters);
      }
      if (config.adminBind() != null) {
        admin =
            AdminServer.start(
                AdminConfig.of(
                    Addresses.resolved(config.adminBind()),
                    config.effectiveAdminToken(),
                    config.adminInsecure()),
                view,
                metrics,
                nodeMetrics);
      }
      this.info = info(replicaConfig, replica.replicaId().incarnation());
      serving = true;
    } catch (RuntimeException | Error e) {
      closePorts();
      if (started != null) {
        await(started.stop(), 10_000); // closes the replica, which closes the store
      } else {
        store.close();
      }
      metrics.close();
      throw e;
    }
  }

  /**
   * The address peers should dial this node at: its own seed entry if the seeds name it (an
   * operator binding a wildcard address names the reachable one there), else the bound mesh port.
   */
  private static String advertised(NodeConfig config, InetSocketAddress bound) {
    return config.replica().seeds().stream()
        .filter(m -> m.name().equals(config.nodeName()))
        .map(Member::address)
        .findFirst()
        .orElse(Addresses.format(bound));
  }

  private NodeInfo info(ReplicaConfig replicaConfig, long incarnation) {
    return new NodeInfo(
        config.nodeName(),
        replicaConfig.clusterName(),
        incarnation,
        Version.current(),
        startedAt,
        client == null ? null : client.boundAddress(),
        mesh == null ? null : mesh.boundAddress(),
        admin == null ? null : admin.boundAddress());
  }

  /**
   * Opens the store, decides the incarnation, binds the mesh port, opens the replica and starts its
   * thread, then binds the RESP and admin ports. On failure, whatever was started is stopped again.
   *
   * @throws UncheckedIOException if the data directory cannot be created or a port cannot be bound
   * @throws dev.meld.node.store.StoreException if the store cannot be opened (another process holds
   *     it)
   */
  public static NodeRuntime start(NodeConfig config) {
    Objects.requireNonNull(config, "config");
    NodeRuntime runtime = new NodeRuntime(config);
    NodeInfo info = runtime.info;
    log.info(
        "node {} (incarnation {}) started in {} ms: client {}, mesh {}, admin {}, data {}",
        info.nodeName(),
        Long.toUnsignedString(info.incarnation()),
        System.currentTimeMillis() - runtime.startedAt,
        describe(info.clientAddress()),
        describe(info.meshAddress()),
        describe(info.adminAddress()),
        config.dataDir());
    return runtime;
  }

  /** Where the TLS client port listens, or null if it does not. */
  public InetSocketAddress tlsClientAddress() {
    RespServer s = tlsClient;
    return s == null ? null : s.boundAddress();
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    return loop.execute(command);
  }

  @Override
  public void execute(Command command, BiConsumer<? super Reply, ? super Throwable> then) {
    loop.execute(command, then);
  }

  @Override
  public CompletableFuture<Integer> waitForReplicas(
      long localSeq, int replicas, long timeoutMillis) {
    return loop.waitForReplicas(localSeq, replicas, timeoutMillis);
  }

  @Override
  public ReplicaStatus status() {
    return loop.status();
  }

  @Override
  public NodeInfo info() {
    return info;
  }

  private static String describe(InetSocketAddress a) {
    return a == null ? "off" : Addresses.format(a);
  }

  /** The Meld version this node was built as. */
  public static String version() {
    return Version.current();
  }

  /** The configuration this node runs with. */
  public NodeConfig config() {
    return config;
  }

  /**
   * Calls {@code listener} on {@code executor} with each client key that changes from now on, by a
   * local write or a replicated one, until the returned handle is closed.
   */
  public AutoCloseable onChange(Consumer<Bytes> listener, Executor executor) {
    return changes.subscribe(listener, executor);
  }

  /** The Prometheus registry behind {@code /metrics} (the RESP port adds its meters here). */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /**
   * Stops the node: drains (writes are refused; waits up to the configured drain timeout for every
   * live peer to acknowledge this node's log and sync with it), logs how the drain ended, stops the
   * ports, closes the replica and the store cleanly (the incarnation is kept for the next start).
   * During a {@link #leave()} it waits for the leave's drain instead of starting another.
   * Idempotent; later calls return the first drain's status.
   */
  public synchronized DrainStatus shutdown() {
    if (drained != null) {
      return drained;
    }
    stopping = true;
    long began = System.currentTimeMillis();
    DrainStatus status = drain();
    serving = false;
    closePorts();
    await(loop.stop(), 30_000); // closes the replica, which closes the store cleanly
    metrics.close();
    drained = status;
    log.info(
        "node {} stopped in {} ms", info.nodeName(), System.currentTimeMillis() - began);
    return status;
  }

  /** {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }

  /**
   * Starts leaving the cluster: the replica removes this node from the replicated member set (a
   * logged write, so the drain covers it) and drains (writes refused; waits up to the configured
   * drain timeout for every live peer to acknowledge everything and sync). Once the drain ends,
   * completed or timed out, the node stops as {@link #shutdown()} does and {@link #left()}
   * completes. Other members drop it from their member set as the removal replicates, stop dialing
   * it and no longer report it.
   *
   * <p>Completes as soon as the leave started or was refused: refused when a leave or a stop is
   * already under way, or the node is not serving.
   */
  public CompletableFuture<LeaveOutcome> leave() {
    // No lock: shutdown() holds this object's monitor while it drains, and this runs on the admin
    // port's event loop, which must keep answering (and which shutdown() closes).
    if (!serving || stopping) {
      return CompletableFuture.completedFuture(
          LeaveOutcome.refused("node " + info.nodeName() + " is stopping (expected: running)"));
    }
    long timeout = config.drainTimeoutMillis();
    return loop.leave(timeout)
        .thenApply(
            started -> {
              if (!started) {
                ReplicaStatus.MembershipState m = loop.status().membership();
                return LeaveOutcome.refused(
                    "node "
                        + info.nodeName()
                        + " is already "
                        + (m == ReplicaStatus.MembershipState.LEAVING
                                || m == ReplicaStatus.MembershipState.LEFT
                            ? "leaving"
                            : "stopping")
                        + " (expected: one leave)");
              }
              log.info(
                  "node {} is leaving the cluster: removed itself from the member set, draining"
                      + " for up to {} ms",
                  info.nodeName(),
                  timeout);
              Thread finisher = new Thread(this::finishLeave, "meld-leave-" + info.nodeName());
              finisher.start();
              return LeaveOutcome.begun();
            });
  }

  /** Waits for the leave's drain (in {@link #shutdown()}), stops, then completes {@link #left}. */
  private void finishLeave() {
    try {
      DrainStatus status = shutdown();
      log.info(
          "node {} left the cluster (drain {})",
          info.nodeName(),
          status.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      left.complete(status);
    } catch (RuntimeException | Error e) {
      left.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Completes with the drain's result once this node has left the cluster (see {@link #leave()})
   * and stopped; never completes for a node that stops without leaving.
   */
  public CompletableFuture<DrainStatus> left() {
    return left.copy();
  }

  private DrainStatus drain() {
    long timeout = config.drainTimeoutMillis();
    DrainStatus status;
    try {
      status = loop.drain(timeout).get(timeout + 5_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      log.warn("drain did not finish: {}", e.toString());
      return loop.status().drain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("drain interrupted");
      return loop.status().drain();
    }
    if (status.state() == DrainStatus.State.COMPLETED) {
      log.info(
          "drain completed in {} ms: every live peer has this node's writes",
          status.finishedAtMillis() - status.startedAtMillis());
    } else {
      log.warn(
          "drain {} after {} ms; peers missing acks: {}, peers missing a sync: {}",
          status.state().name().toLowerCase().replace('_', ' '),
          timeout,
          status.peersMissingAck(),
          status.peersMissingSync());
    }
    return status;
  }

  /** Clients first, then peers, then the admin port (which answers until the end). */
  private void closePorts() {
    for (AutoCloseable port : new AutoCloseable[] {client, tlsClient, mesh, admin}) {
      if (port != null) {
        try {
          port.close();
        } catch (Exception e) {
          log.warn("closing {} failed", port, e);
        }
      }
    }
  }

  private static void await(CompletableFuture<?> f, long millis) {
    try {
      f.get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("the replica thread did not stop cleanly: {}", e.toString());
    }
  }

  /** What the admin port and the metrics read. */
  private final class View implements NodeView {
    @Override
    public ReplicaStatus status() {
      return loop.status();
    }

    @Override
    public NodeInfo info() {
      return info;
    }

    @Override
    public boolean serving() {
      return serving;
    }

    @Override
    public long droppedInbound() {
      return loop.droppedInbound();
    }

    @Override
    public int queuedCommands() {
      return loop.queuedCommands();
    }

    @Override
    public long storeBytes() {
      return storeSize.bytes();
    }

    @Override
    public Map<String, PeerLinkStats> links() {
      return mesh.stats();
    }

    @Override
    public MeshCounters meshCounters() {
      return mesh.counters();
    }

    @Override
    public ClientTable clients() {
      RespServer port = client != null ? client : tlsClient; // both share one table
      return port == null
          ? ClientTable.NONE
          : new ClientTable(port.connectedClients(), port.maxClients());
    }

    @Override
    public StoreRecovery storeRecovery() {
      return storeRecovery;
    }

    @Override
    public CompletableFuture<LeaveOutcome> leave() {
      return NodeRuntime.this.leave();
    }
  }
}
