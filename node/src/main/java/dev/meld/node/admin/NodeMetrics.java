package dev.meld.node.admin;

import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.server.CommandObserver;
import dev.meld.node.transport.MeshCounters;
import dev.meld.node.transport.PeerLinkStats;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics, all named {@code meld_*} (the list is in {@code node/README.md}).
 * Most are read from the status snapshot when scraped; command latencies are recorded as commands
 * complete. Meters for peers and error reasons are added as they first appear ({@link #refresh()}).
 */
public final class NodeMetrics implements CommandObserver {

  /** Latency buckets: from a group commit in memory to a slow fsync. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofSeconds(1)
  };

  private final MeterRegistry registry;
  private final NodeView view;
  /* The outcomes of a command, as indexes into its timers: looked up per completed command on the
   * replica thread without building a name (a string per command was 4-8% of that thread). */
  private static final int OK = 0;
  private static final int FAILED = 1;
  private static final int ERROR = 2; // + the error's code

  private final Map<Class<?>, Timer[]> timers = new HashMap<>(); // replica thread only
  private final DistributionSummary groups;
  private final Set<String> peers = ConcurrentHashMap.newKeySet();
  private final Set<String> errorReasons = ConcurrentHashMap.newKeySet();
  private final Set<String> refusals = ConcurrentHashMap.newKeySet();
  private final Set<String> peerRefusals = ConcurrentHashMap.newKeySet();

  public NodeMetrics(MeterRegistry registry, NodeView view) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.view = Objects.requireNonNull(view, "view");
    this.groups =
        DistributionSummary.builder("meld.group.commit.size")
            .description("client commands committed together in one store batch")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
            .register(registry);
    registerNodeMeters();
  }

  @Override
  public void grouped(int commands) {
    groups.record(commands);
  }

  @Override
  public void completed(Command command, Reply reply, long latencyNanos) {
    int outcome =
        reply == null ? FAILED : reply instanceof Reply.Error e ? ERROR + e.code().ordinal() : OK;
    Timer[] byOutcome = timers.get(command.getClass());
    if (byOutcome == null) {
      byOutcome = new Timer[ERROR + Reply.Code.values().length];
      timers.put(command.getClass(), byOutcome);
    }
    Timer timer = byOutcome[outcome];
    if (timer == null) {
      String name =
          outcome == OK
              ? "ok"
              : outcome == FAILED
                  ? "failed"
                  : Reply.Code.values()[outcome - ERROR].name().toLowerCase(Locale.ROOT);
      timer =
          Timer.builder("meld.command.duration")
              .description("client commands from queued to replied, by command and outcome")
              .tags("command", command.name(), "outcome", name)
              .serviceLevelObjectives(LATENCY_BUCKETS)
              .register(registry);
      byOutcome[outcome] = timer;
    }
    timer.record(latencyNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * Adds meters for peers and error reasons that appeared since the last call (before a scrape).
   */
  public void refresh() {
    ReplicaStatus s = view.status();
    for (ReplicaStatus.PeerStatus p : s.peers()) {
      if (peers.add(p.node())) {
        registerPeerMeters(p.node());
      }
    }
    MeshCounters mesh = view.meshCounters();
    for (String reason : mesh.closedByReason().keySet()) {
      refusal("closed", reason, v -> v.meshCounters().closedByReason());
    }
    for (String reason : mesh.refusedByPeers().keySet()) {
      refusal("refused_by_peer", reason, v -> v.meshCounters().refusedByPeers());
    }
    for (String reason : s.refusals().keySet()) {
      peerRefusal(reason);
    }
    for (String reason : s.errors().keySet()) {
      if (errorReasons.add(reason)) {
        FunctionCounter.builder(
                "meld.errors", view, v -> v.status().errors().getOrDefault(reason, 0L))
            .description("peer messages rejected and other counted errors, by reason")
            .tag("reason", reason)
            .register(registry);
      }
    }
  }

  /** Refusals of what a peer may not do (node/README.md, "What a peer may do"), by reason. */
  private void peerRefusal(String reason) {
    if (peerRefusals.add(reason)) {
      FunctionCounter.builder(
              "meld.peer.refusals", view, v -> v.status().refusals().getOrDefault(reason, 0L))
          .description("peer messages and records refused for what their sender may not do")
          .tag("reason", reason)
          .register(registry);
    }
  }

  private void refusal(
      String side, String reason, java.util.function.Function<NodeView, Map<String, Long>> counts) {
    if (refusals.add(side + "/" + reason)) {
      FunctionCounter.builder(
              "meld.mesh.refusals", view, v -> counts.apply(v).getOrDefault(reason, 0L))
          .description("mesh connections refused or closed with an error, by side and reason")
          .tags("side", side, "reason", reason)
          .register(registry);
    }
  }

  private void registerNodeMeters() {
    gauge("meld.node.ready", "1 when caught up with every live peer", s -> s.ready() ? 1 : 0);
    gauge(
        "meld.node.draining",
        "1 while the node drains (writes refused)",
        s -> s.drain().draining() ? 1 : 0);
    gauge("meld.store.keys", "client keys that exist", ReplicaStatus::keyCount);
    gauge("meld.store.records", "records held, internal ones included", ReplicaStatus::records);
    Gauge.builder("meld.store.size", view, NodeView::storeBytes)
        .description("bytes the store's files take on disk")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("meld.store.recovered.with.loss", view, v -> v.storeRecovery().lost() ? 1 : 0)
        .description(
            "1 if this process opened its store with acknowledged writes lost (--accept-data-loss)")
        .register(registry);
    Gauge.builder("meld.store.lost.sequences", view, v -> v.storeRecovery().lostSequences())
        .description(
            "RocksDB sequence numbers acknowledged but not recovered at open (-1: unknown)")
        .register(registry);
    gauge("meld.log.head.seq", "sequence number of the last local write", ReplicaStatus::headSeq);
    gauge("meld.log.retained.entries", "local log entries kept", s -> s.log().retainedEntries());
    gauge("meld.log.retained.bytes", "their payload bytes", s -> s.log().retainedBytes());
    counter(
        "meld.writes", Tags.empty(), "local writes that changed something", ReplicaStatus::writes);
    counter(
        "meld.replication.batches",
        Tags.of("direction", "sent"),
        "replication batches",
        s -> s.log().batchesSent());
    counter(
        "meld.replication.batches",
        Tags.of("direction", "applied"),
        "replication batches",
        s -> s.log().batchesApplied());
    counter(
        "meld.replication.entries.applied",
        Tags.empty(),
        "log entries received and merged",
        s -> s.log().entriesApplied());
    counter(
        "meld.replication.gaps",
        Tags.empty(),
        "peers told they are behind the retained log",
        s -> s.log().gapsReported());
    String rounds = "anti-entropy sessions, by what happened to them";
    counter(
        "meld.antientropy.rounds",
        Tags.of("event", "started"),
        rounds,
        s -> s.antiEntropy().started());
    counter(
        "meld.antientropy.rounds",
        Tags.of("event", "responded"),
        rounds,
        s -> s.antiEntropy().responded());
    counter(
        "meld.antientropy.rounds",
        Tags.of("event", "completed"),
        rounds,
        s -> s.antiEntropy().completed());
    counter(
        "meld.antientropy.rounds",
        Tags.of("event", "aborted"),
        rounds,
        s -> s.antiEntropy().aborted());
    counter(
        "meld.antientropy.rounds",
        Tags.of("event", "deferred"),
        rounds,
        s -> s.antiEntropy().deferred());
    counter(
        "meld.antientropy.repaired.keys",
        Tags.empty(),
        "records an anti-entropy session changed here",
        s -> s.antiEntropy().keysRepaired());
    counter(
        "meld.antientropy.bytes",
        Tags.of("direction", "sent"),
        "anti-entropy session bytes",
        s -> s.antiEntropy().bytesSent());
    counter(
        "meld.antientropy.bytes",
        Tags.of("direction", "received"),
        "anti-entropy session bytes",
        s -> s.antiEntropy().bytesReceived());
    counter(
        "meld.clock.clamps",
        Tags.empty(),
        "remote clock stamps beyond the drift bound, clamped",
        ReplicaStatus::clockClamps);
    // Known up front, so a dashboard sees 0 rather than nothing until the first refusal.
    for (String reason :
        java.util.List.of("non-member", "future-stamp", "reserved-key", "membership-change")) {
      peerRefusal(reason);
    }
    FunctionCounter.builder(
            "meld.mesh.undecodable", view, v -> v.meshCounters().undecodableMessages())
        .description("peer MESSAGE frames whose payload did not decode (dropped)")
        .register(registry);
    FunctionCounter.builder("meld.inbound.dropped", view, NodeView::droppedInbound)
        .description("peer messages dropped because the replica thread had too many queued")
        .register(registry);
    Gauge.builder(
            "meld.connections",
            view,
            v -> v.links().values().stream().filter(PeerLinkStats::connected).count())
        .description("open connections: clients on the RESP port, peers this node dialed")
        .tag("kind", "peer")
        .register(registry);
    Gauge.builder("meld.commands.queued", view, NodeView::queuedCommands)
        .description("client commands waiting for the replica thread")
        .register(registry);
  }

  private void registerPeerMeters(String peer) {
    Tags tags = Tags.of("peer", peer);
    peerGauge(
        "meld.replication.backlog.entries",
        tags,
        peer,
        "local log entries the peer lacks",
        p -> p.backlogEntries());
    peerGauge(
        "meld.replication.backlog.bytes", tags, peer, "their payload bytes", p -> p.backlogBytes());
    peerGauge(
        "meld.replication.lag.seconds",
        tags,
        peer,
        "age of the oldest local entry the peer has not acknowledged",
        p -> p.lagMillis() / 1000.0);
    peerGauge("meld.peer.live", tags, peer, "1 while the peer answers", p -> p.live() ? 1 : 0);
    linkCounter(
        "meld.mesh.bytes",
        tags.and("direction", "in"),
        peer,
        "mesh frame bytes",
        PeerLinkStats::bytesIn);
    linkCounter(
        "meld.mesh.bytes",
        tags.and("direction", "out"),
        peer,
        "mesh frame bytes",
        PeerLinkStats::bytesOut);
    linkCounter(
        "meld.mesh.dropped",
        tags,
        peer,
        "messages the mesh dropped (queue full, too large)",
        PeerLinkStats::dropped);
    linkCounter(
        "meld.mesh.connects",
        tags,
        peer,
        "handshakes completed on dialed links",
        PeerLinkStats::connects);
    Gauge.builder(
            "meld.mesh.queued.bytes",
            view,
            v -> link(v, peer).map(l -> (double) l.queuedBytes()).orElse(Double.NaN))
        .description("bytes waiting in the peer's send queue")
        .tags(tags)
        .register(registry);
  }

  private void linkCounter(
      String name, Tags tags, String peer, String help, ToDoubleFunction<PeerLinkStats> f) {
    FunctionCounter.builder(name, view, v -> link(v, peer).map(f::applyAsDouble).orElse(0.0))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private static Optional<PeerLinkStats> link(NodeView v, String peer) {
    return Optional.ofNullable(v.links().get(peer));
  }

  private void gauge(String name, String help, ToDoubleFunction<ReplicaStatus> f) {
    Gauge.builder(name, view, v -> f.applyAsDouble(v.status()))
        .description(help)
        .register(registry);
  }

  private void counter(String name, Tags tags, String help, ToDoubleFunction<ReplicaStatus> f) {
    FunctionCounter.builder(name, view, v -> f.applyAsDouble(v.status()))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private void peerGauge(
      String name,
      Tags tags,
      String peer,
      String help,
      ToDoubleFunction<ReplicaStatus.PeerStatus> f) {
    Gauge.builder(name, view, v -> v.status().peer(peer).map(f::applyAsDouble).orElse(Double.NaN))
        .description(help)
        .tags(tags)
        .register(registry);
  }
}
