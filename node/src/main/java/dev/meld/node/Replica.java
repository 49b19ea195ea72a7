package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HybridLogicalClock;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.identity.Identity;
import dev.meld.node.logging.RateLimitedLog;
import dev.meld.node.peer.PeerCodec;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.peer.PeerProtocolException;
import dev.meld.node.store.LogBounds;
import dev.meld.node.store.Origin;
import dev.meld.node.store.PriorShutdown;
import dev.meld.node.store.RecordStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Meld node does, as a sans-IO core: it takes client commands, peer messages and timer ticks
 * and returns replies and messages for peers. It touches no sockets, threads or wall clock: time
 * comes from the {@link PhysicalClock} given to {@link #open}, randomness from the {@link
 * RandomGenerator}, storage is the {@link RecordStore}, and messages go to an {@link Outbox}. The
 * same code runs in the Netty node and in the deterministic simulator.
 *
 * <p>A write is read, merged and written through one atomic store batch that also carries its log
 * entry, the clock's high-water mark and (for replicated entries) the origin's cursor; the reply is
 * returned only after that batch commits. Peers receive the log by per-peer pumps; what the log
 * cannot deliver, anti-entropy rounds repair. See {@code node/README.md} for the whole picture.
 *
 * <p>Not thread-safe: the shell calls it from one thread.
 */
public final class Replica implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Replica.class);

  /** At most one refusal line per reason in this long (see {@link RateLimitedLog}). */
  static final long REFUSAL_LOG_INTERVAL_MILLIS = 10_000;

  /**
   * How long a node that dropped out of the member set (it left) may still deliver data: its
   * drain hands over what it holds after its removal, which goes first (see {@link #leave}).
   */
  static final long DEPARTED_GRACE_MILLIS = 60_000;

  private final ReplicaConfig config;
  private final RecordStore store;
  private final PhysicalClock clock;
  private final ReplicaId self;
  private final HybridLogicalClock hlc;
  private final ReplicationLog log;
  private final WritePath writes;
  private final StoreKeyspace keyspace;
  private final CommandExecutor executor;
  private final Replication replication;
  private final AntiEntropy antiEntropy;
  private final Membership membership;
  private final Peers peers;
  private final StatusReport report;
  private final PeerCodec codec;
  private final PeerWrites peerWrites;
  private final Drain drain = new Drain();
  private final Metrics metrics = new Metrics();
  private final Epochs epochs = new Epochs();
  private final long openedAt;
  private final long monotonicAtOpen;
  private long lastNow;
  private long lastPumpMillis = Long.MIN_VALUE / 2;
  private boolean ready;
  private boolean closed;
  private boolean lostSelfLogged;
  private boolean opened;
  private final Map<String, Long> departedAt = new HashMap<>();

  private Replica(
      ReplicaConfig config,
      RecordStore store,
      PhysicalClock clock,
      RandomGenerator random,
      ReplicaId self,
      long openedAt) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.self = self;
    this.openedAt = openedAt;
    this.monotonicAtOpen = clock.monotonicMillis();
    this.lastNow = openedAt;
    this.codec = new PeerCodec(config.maxPeerFrameBytes());
    this.peers = new Peers(config.peerDeadTimeoutMillis());
    RecordLattice lattice = new RecordLattice(config.decodeLimits());
    this.hlc =
        HybridLogicalClock.restore(clock, config.hlcMaxDriftMillis(), WritePath.readHlcMark(store));
    long[] liveKeys = {0};
    StoreKeyspace view =
        new StoreKeyspace(
            store,
            config.syncConfig().fanoutBits(),
            config.decodeLimits(),
            config.maxRecordBytes(),
            (hash, key, value) -> {
              if (!ReservedKeys.isReserved(key) && exists(lattice, value)) {
                liveKeys[0]++;
              }
              return true;
            });
    this.keyspace = view;
    this.log = new ReplicationLog(store, new Origin(self.node(), self.incarnation()), openedAt);
    this.membership = new Membership(config.self(), config.seeds(), metrics);
    this.writes =
        new WritePath(
            store,
            view,
            lattice,
            log,
            hlc,
            config.recordCacheEntries(),
            liveKeys[0],
            CounterPieces.WHOLE_UP_TO_SLOTS,
            this::committed);
    this.peerWrites =
        new PeerWrites(
            clock,
            config.hlcMaxDriftMillis(),
            membership,
            writes,
            metrics,
            new RateLimitedLog(LOG, REFUSAL_LOG_INTERVAL_MILLIS, () -> lastNow));
    this.executor = new CommandExecutor(config, writes, log, hlc, self, metrics);
    this.replication = new Replication(config, log, writes, hlc, store, metrics, self, peerWrites);
    this.antiEntropy =
        new AntiEntropy(
            config, view, writes, random, metrics, this::syncCompleted, peerWrites, openedAt);
    this.report =
        new StatusReport(
            config,
            self,
            peers,
            log,
            view,
            writes,
            hlc,
            metrics,
            membership,
            antiEntropy,
            replication,
            drain);
  }

  /**
   * Opens the replica on {@code store}: decides the incarnation (a new one unless the store was
   * closed cleanly), restores the clock from its persisted high-water mark, rebuilds the digest
   * tree from a scan, and joins the member set (seeding it on a fresh store).
   *
   * @param store a store opened with {@code KeyHashing::keyHash64}; the replica owns it from now on
   *     and closes it in {@link #close()} (if {@code open} throws, the caller still owns it)
   * @throws IllegalArgumentException if the store is ordered by another key hash
   */
  public static Replica open(
      ReplicaConfig config, RecordStore store, PhysicalClock clock, RandomGenerator random) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    ReplicaId self;
    if (config.has(Misbehavior.REUSE_INCARNATION)) {
      self = new ReplicaId(config.nodeName(), 0);
    } else {
      Identity identity =
          Identity.open(
              store,
              config.nodeName(),
              () -> Instant.ofEpochMilli(clock.currentTimeMillis()),
              random);
      self = new ReplicaId(identity.nodeName(), identity.incarnation());
    }
    long now = clock.currentTimeMillis();
    dropEarlierIncarnationLogs(store, self);
    Replica replica = new Replica(config, store, clock, random, self, now);
    replica.membership.refresh(replica.writes.load(ReservedKeys.MEMBERS).state);
    replica.membership.joinAtOpen(
        replica.writes,
        replica.executor::writeInternal,
        self,
        store.meta(Membership.JOIN_PENDING_META).isPresent(),
        store.priorShutdown() == PriorShutdown.RESTORED);
    replica.writes.flush(now);
    replica.peers.retainOnly(replica.membership.peerNames());
    replica.checkListed();
    replica.opened = true;
    return replica;
  }

  /**
   * Earlier incarnations of this node never ship again (pumps ship the current one only), so their
   * retained entries are dropped: anti-entropy delivers whatever peers had not acknowledged.
   */
  private static void dropEarlierIncarnationLogs(RecordStore store, ReplicaId self) {
    for (Origin o : store.logOrigins()) {
      LogBounds bounds = store.logBounds(o);
      if (o.node().equals(self.node())
          && o.incarnation() != self.incarnation()
          && bounds.retained() > 0) {
        store.commit(store.newBatch().trimLog(o, bounds.head()));
      }
    }
  }

  /**
   * Executes a client command at the clock's current time. A write is committed durably to the
   * store before this returns, so the reply is safe to send; messages to peers go to {@code out}.
   */
  public Reply execute(Command command, Outbox out) {
    return executeAll(List.of(command), out).get(0);
  }

  /**
   * Group commit: executes the commands in order (each sees the ones before it) and commits all
   * their writes in one store batch, then returns the replies in order.
   */
  public List<Reply> executeAll(List<Command> commands, Outbox out) {
    return executeAll(commands, out, () -> false);
  }

  /**
   * Group commit of a prefix: as {@link #executeAll(List, Outbox)}, but stops early once {@code
   * enough} says so. It is asked after each command, so at least one runs; the replies are those
   * of the commands that ran, in order, and the caller keeps the rest for later. The shell uses it
   * to bound the time a group holds its thread (peers' pings wait meanwhile).
   */
  public List<Reply> executeAll(List<Command> commands, Outbox out, BooleanSupplier enough) {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(enough, "enough");
    long now = enter();
    long maxPending = store.limits().maxBatchBytes() / 2;
    List<Reply> replies = new ArrayList<>(commands.size());
    for (Command command : commands) {
      metrics.command(command);
      replies.add(executor.execute(command, drain.draining()));
      if (writes.pendingBytes() > maxPending) {
        writes.flush(now);
      }
      if (enough.getAsBoolean()) {
        break;
      }
    }
    if (!config.has(Misbehavior.ACK_BEFORE_DURABLE)) {
      writes.flush(now);
    }
    pumpAll(now, out);
    return replies;
  }

  /**
   * Handles one message from the peer named {@code fromNode}. A message that is malformed for this
   * node's state or lies about its sender is counted in {@link ReplicaStatus#errors()} and changes
   * nothing.
   */
  public void receive(String fromNode, PeerMessage message, Outbox out) {
    Objects.requireNonNull(fromNode, "fromNode");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(out, "out");
    long now = enter();
    Peer peer = peers.get(fromNode);
    if (peer != null) {
      peer.lastContactMillis = now;
    }
    if (message instanceof PeerMessage.Ping ping) {
      if (introduced(fromNode, ping.cluster(), ping.sender(), ping.hlc(), peer)) {
        if (membership.confirmedBy(peer, writes)) {
          writes.flush(now);
        }
        out.send(fromNode, replication.pong(config.clusterName(), ping));
      }
    } else if (message instanceof PeerMessage.Pong pong) {
      if (introduced(fromNode, pong.cluster(), pong.sender(), pong.hlc(), peer)
          && peer != null
          && pong.pinger().equals(self)) {
        replication.onCursor(peer, pong.cursor(), now, out);
      }
    } else if (message instanceof PeerMessage.ReplicateBatch batch) {
      if (peer == null && !departedRecently(fromNode, now)) {
        peerWrites.refuse(
            PeerWrites.NON_MEMBER,
            fromNode,
            "replication batch of "
                + batch.entries().size()
                + " entries (expected: data from members only)");
        // Nothing applies, but the cursor is told: a node that just left is waiting for acks of
        // what members applied before they removed it (its drain), and a joiner's pump learns
        // where to resume once it is listed.
        replication.ackCursor(fromNode, batch, out);
      } else {
        hlc.update(batch.hlc());
        replication.onBatch(fromNode, batch, now, out);
      }
    } else if (message instanceof PeerMessage.ReplicateAck ack) {
      if (peer == null) {
        metrics.error("ack-from-non-member");
      } else if (!ack.sender().node().equals(fromNode)) {
        metrics.error("ack-sender-mismatch");
      } else {
        replication.onAck(peer, ack, now, out);
      }
    } else if (message instanceof PeerMessage.LogGap gap) {
      replication.onGap(fromNode, gap, epochs.next(), out);
    } else if (message instanceof PeerMessage.SyncEnvelope envelope) {
      if (peer == null && !departedRecently(fromNode, now)) {
        peerWrites.refuse(
            PeerWrites.NON_MEMBER,
            fromNode,
            "anti-entropy message (expected: sessions with members only)");
      } else {
        antiEntropy.onEnvelope(fromNode, envelope, now, epochs, out);
      }
    } else if (message instanceof PeerMessage.MemberSet members) {
      onMemberSet(fromNode, members, now);
    }
    evaluate(now);
  }

  /**
   * Whether {@code name} dropped out of the member set within {@link #DEPARTED_GRACE_MILLIS}: a
   * node that left, whose drain is still handing over its data.
   */
  private boolean departedRecently(String name, long now) {
    Long at = departedAt.get(name);
    if (at == null) {
      return false;
    }
    if (now - at > DEPARTED_GRACE_MILLIS) {
      departedAt.remove(name);
      return false;
    }
    return true;
  }

  /**
   * A peer's member set: merged only within what the sender may change ({@link
   * Membership#refusal}). A node that is not a member joins this way: its set lists it.
   */
  private void onMemberSet(String from, PeerMessage.MemberSet message, long now) {
    if (!message.sender().node().equals(from)) {
      metrics.error("members-sender-mismatch");
      return;
    }
    byte[] bytes = message.members().toByteArray();
    Crdt<?> state;
    try {
      state = writes.lattice().decode(bytes);
    } catch (CrdtDecodeException e) {
      peerWrites.refuse(PeerWrites.MEMBERSHIP_CHANGE, from, "member set: " + e.getMessage());
      return;
    }
    byte[] key = ReservedKeys.MEMBERS.toByteArray();
    if (!peerWrites.admit(from, Membership.Source.RELAYED, key, state)) {
      return;
    }
    try {
      writes.merge(key, bytes, state);
    } catch (IllegalArgumentException e) {
      metrics.error("merged-record-too-large");
    }
    writes.flush(now);
  }

  /**
   * Decodes one peer frame (as {@link PeerCodec} writes them) and handles it. A frame that does not
   * decode changes nothing and is counted as {@code malformed-frame}.
   *
   * @return whether the frame decoded
   */
  public boolean receiveFrame(String fromNode, byte[] frame, Outbox out) {
    PeerMessage message;
    try {
      message = codec.decode(frame);
    } catch (PeerProtocolException e) {
      enter();
      metrics.error("malformed-frame");
      return false;
    }
    receive(fromNode, message, out);
    return true;
  }

  /**
   * Checks a ping's or pong's cluster and sender, takes in its clock reading, and takes the
   * sender's incarnation as the peer's current one.
   */
  private boolean introduced(String from, String cluster, ReplicaId sender, long stamp, Peer peer) {
    if (!cluster.equals(config.clusterName())) {
      metrics.error("wrong-cluster");
      return false;
    }
    if (!sender.node().equals(from)) {
      metrics.error("sender-mismatch");
      return false;
    }
    hlc.update(stamp);
    if (peer != null) {
      peer.introduce(sender.incarnation());
    }
    return true;
  }

  /**
   * Runs the timers; the shell calls it at least every {@code pumpIntervalMillis}. Commits writes
   * held back (only under {@link Misbehavior#ACK_BEFORE_DURABLE}), then pings, pumps, trims the
   * log, runs anti-entropy rounds and timeouts, and re-evaluates readiness and the drain.
   */
  public void tick(Outbox out) {
    Objects.requireNonNull(out, "out");
    long now = enter();
    writes.flush(now);
    PeerMessage.MemberSet members = null;
    for (Peer p : peers.all()) {
      if (now - p.lastPingMillis >= config.pingIntervalMillis()) {
        p.lastPingMillis = now;
        if (members == null) {
          members = memberSet();
        }
        if (members != null && !membership.leaving()) {
          out.send(p.name, members); // first: a joiner's ping then finds it listed
        }
        out.send(p.name, new PeerMessage.Ping(config.clusterName(), self, hlc.now()));
      }
    }
    if (now - lastPumpMillis >= config.pumpIntervalMillis()) {
      lastPumpMillis = now;
      pumpAll(now, out);
      replication.trim(peers.live(now));
    }
    List<Peer> live = peers.live(now);
    antiEntropy.tick(
        now,
        epochs,
        live,
        wantedSessions(now),
        replication.streaming(live, now, config.antiEntropyIntervalMillis()),
        out);
    evaluate(now);
  }

  /** This node's member set as a MEMBERS message; null if the record is not a set. */
  private PeerMessage.MemberSet memberSet() {
    Crdt<?> state = writes.load(ReservedKeys.MEMBERS).state;
    if (!(state instanceof Orswot<?>)) {
      return null;
    }
    return new PeerMessage.MemberSet(self, Bytes.of(CrdtCodec.encode(state)));
  }

  private void pumpAll(long now, Outbox out) {
    for (Peer p : peers.live(now)) {
      replication.pump(p, now, out);
    }
  }

  /** Peers a session should start with now: for readiness, for the drain, for a log gap. */
  private Set<String> wantedSessions(long now) {
    Set<String> wanted = new HashSet<>();
    for (Peer p : peers.live(now)) {
      boolean forReadiness = !ready && !p.synced;
      boolean forDrain = drain.running() && p.confirmedSyncEpoch <= drain.startEpoch();
      if (forReadiness || forDrain || replication.awaitsSync(p.name)) {
        wanted.add(p.name);
      }
    }
    return wanted;
  }

  /*
   * Ready means: this node holds, in its own store, what it is meant to serve, and has caught up
   * with every peer it can hear. Precisely, ready once
   *
   *   - it has no peers (a single-node cluster), or
   *   - it is not joining (see Membership: a founding node, or a member restarted on its own
   *     store, clean or crashed), liveness has settled, and every live peer has completed an
   *     anti-entropy session with it since open.
   *
   * Liveness is "settled" once every peer has been heard from or a peer-dead timeout has passed
   * since open; until then an unheard peer might still turn out live and ahead. A peer it cannot
   * hear does not hold it back beyond that: a member whose peers are all down is ready one
   * peer-dead timeout after open and serves its store, since waiting could not make it fresher.
   * A peer it hears is waited for, but sessions resend lost messages (AntiEntropy), so a lossy link
   * delays readiness by retries rather than by whole session timeouts (simulator seed 1078).
   *
   * A joining node (a joiner, one that had left, a restored store) is never ready until a peer
   * lists it: "every live peer synced" may hold only because no peer answers at all (seeds that do
   * not know it, a wrong secret, a cut link), and such a node lacks the cluster's data, or writes
   * it once acknowledged. Once a peer pinged it, that peer is live, so the rule also demands at
   * least one completed session.
   *
   * Readiness is latched: once caught up, a node stays ready while peers come and go (its store
   * keeps serving; liveness changes do not make it staler than any other node). Refusing traffic
   * while draining or leaving is the port's business: /ready answers 503 while the drain runs.
   */
  private void evaluate(long now) {
    boolean skipSync = config.has(Misbehavior.SKIP_ANTI_ENTROPY);
    List<Peer> live = peers.live(now);
    boolean settled = now - openedAt >= config.peerDeadTimeoutMillis() || peers.allContacted();
    if (!ready) {
      ready =
          peers.isEmpty()
              || (!membership.joining()
                  && settled
                  && live.stream().allMatch(p -> p.synced || skipSync));
    }
    // Until liveness has settled, a peer not yet heard from may be live and must get this node's
    // writes too: a drain begun right after start completed at once, with nothing shipped.
    List<Peer> holding = live;
    if (!settled) {
      holding = new ArrayList<>(live);
      for (Peer p : peers.all()) {
        if (p.lastContactMillis < 0) {
          holding.add(p);
        }
      }
    }
    drain.evaluate(now, holding, log.head(), !skipSync);
  }

  private void syncCompleted(
      String peer, long startEpoch, boolean confirmed, long now, Outbox out) {
    Peer p = peers.get(peer);
    if (p != null) {
      p.synced = true;
      if (confirmed) {
        p.confirmedSyncEpoch = Math.max(p.confirmedSyncEpoch, startEpoch);
      }
    }
    replication.onSyncCompleted(peer, startEpoch, now, out);
  }

  /**
   * How many peers, live now, have acknowledged this node's log up to {@code seq}: what Redis
   * {@code WAIT} counts, with {@code seq} from a write's {@link Reply#seq()}.
   */
  public int peersAcked(long seq) {
    return peers.ackedAtLeast(seq, enter());
  }

  /** Starts refusing writes; see {@link DrainStatus} for when the drain completes. */
  public void beginDrain(long deadlineMillis) {
    long now = enter();
    drain.begin(now, deadlineMillis, epochs.next());
    evaluate(now);
  }

  /**
   * Leaves the cluster: removes this node from the member set (a logged write, so it replicates)
   * and then drains until {@code deadlineMillis}. The removal goes first so that the drain's "every
   * live peer acknowledged the head" covers it.
   */
  public void leave(long deadlineMillis) {
    long now = enter();
    membership.leave(writes, executor::writeInternal);
    writes.flush(now);
    drain.begin(now, deadlineMillis, epochs.next());
    evaluate(now);
  }

  public DrainStatus drainStatus() {
    evaluate(enter());
    return drain.status();
  }

  /** A snapshot of what this node knows; see {@link ReplicaStatus}. */
  public ReplicaStatus status() {
    long now = enter();
    evaluate(now);
    return report.snapshot(now, ready && !membership.lostSelf());
  }

  /**
   * Records encoded in full since open. Encoding costs a record's whole size, so the write path
   * does it once per record and batch, never per write; tests in this package hold it to that.
   */
  long recordEncodings() {
    return writes.recordEncodings();
  }

  /** This node's name and the incarnation it acts under in this session. */
  public ReplicaId replicaId() {
    return self;
  }

  /**
   * Commits anything held back and closes the store cleanly, which keeps the incarnation for the
   * next open. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    writes.flush(now());
    closed = true;
    store.close();
  }

  /**
   * Whether a stored record value is a key clients see: a live state, a non-empty set, a counter
   * whose header says so.
   */
  private static boolean exists(RecordLattice lattice, byte[] value) {
    if (CounterHeader.is(value)) {
      return CounterHeader.decode(value).exists();
    }
    return SetHeader.is(value)
        ? SetHeader.decode(value, lattice.limits()).count() > 0
        : RecordLattice.exists(lattice.decode(value));
  }

  private void committed(WritePath.Slot slot) {
    if (slot.key.equals(ReservedKeys.MEMBERS)) {
      Set<String> before = membership.peerNames();
      membership.refresh(slot.state);
      Set<String> after = membership.peerNames();
      for (String gone : before) {
        if (!after.contains(gone)) {
          departedAt.put(gone, lastNow);
        }
      }
      departedAt.keySet().removeAll(after);
      if (!before.equals(after) && opened) {
        // the shell logs the standing that follows; this is the detail
        LOG.debug("members of {}: peers now {} (were {})", self, after, before);
      }
      peers.retainOnly(after);
      checkListed();
    }
  }

  /**
   * Says loudly when this node, not leaving, is missing from its own member set: peers then neither
   * ping it nor take its data, and it reports itself not ready (state {@code MISSING}).
   */
  private void checkListed() {
    boolean lost = membership.lostSelf();
    if (lost && !lostSelfLogged) {
      LOG.error(
          "node {} is not in its own member set {} although it has not left: peers ignore it;"
              + " not ready until it is listed again (restart it to rejoin)",
          self,
          membership.list());
    } else if (!lost && lostSelfLogged) {
      LOG.warn("node {} is listed in the member set again", self);
    }
    lostSelfLogged = lost;
  }

  private long enter() {
    if (closed) {
      throw new IllegalStateException("replica " + self + " is closed");
    }
    return now();
  }

  /**
   * The replica's timer clock, on which peer liveness, session timeouts and drain deadlines are
   * measured: the wall time at open plus the monotonic time elapsed since. A wall-clock step (NTP,
   * a clock fault) does not move it: reading the wall clock here, a step back of 30 s kept peers
   * that had gone silent "live" for 30 s (ClockStepBackLivenessTest). Callers that give the replica
   * a deadline compute it on this clock.
   */
  public long timerMillis() {
    return now();
  }

  /** The timer clock's reading, never below an earlier one: timers must not run backwards. */
  private long now() {
    long t = openedAt + (clock.monotonicMillis() - monotonicAtOpen);
    if (t > lastNow) {
      lastNow = t;
    }
    return lastNow;
  }

  /** The records as anti-entropy sees them, kept current by this replica's write path (tests). */
  StoreKeyspace keyspace() {
    return keyspace;
  }
}
