package dev.meld.node;

import dev.meld.antientropy.Part;
import dev.meld.antientropy.StepResult;
import dev.meld.antientropy.SyncMessage;
import dev.meld.antientropy.SyncRecord;
import dev.meld.antientropy.SyncSession;
import dev.meld.antientropy.SyncSummary;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.node.peer.PeerMessage.SyncEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Anti-entropy rounds: on a jittered interval this node starts a {@link SyncSession} with a random
 * live peer, and it answers the sessions peers start. Records a session hands back are merged
 * through the write path like any other change (no log entry), each only if the peer may write it
 * ({@link PeerWrites}); the replica starts and answers sessions with members only. Sessions that
 * hear nothing for the session timeout are aborted. At most one session this node started runs per
 * peer.
 */
final class AntiEntropy {

  /** Told when a session completes on this side. */
  interface Listener {
    /**
     * @param peer the other side
     * @param startEpoch the replica event at which the session began here
     * @param confirmed whether the peer surely completed too: this side received the final round,
     *     or sent a final round that carried no records
     * @param nowMillis the replica's time
     * @param out for messages the completion prompts
     */
    void completed(String peer, long startEpoch, boolean confirmed, long nowMillis, Outbox out);
  }

  private static final class Running {
    final SyncSession session;
    final String peer;
    final boolean initiator;
    final long startEpoch;
    long lastHeardMillis;

    Running(SyncSession session, String peer, boolean initiator, long startEpoch, long now) {
      this.session = session;
      this.peer = peer;
      this.initiator = initiator;
      this.startEpoch = startEpoch;
      this.lastHeardMillis = now;
    }
  }

  private record Incoming(String peer, long sessionId) {}

  private final ReplicaConfig config;
  private final StoreKeyspace view;
  private final WritePath writes;
  private final RandomGenerator random;
  private final Metrics metrics;
  private final Listener listener;
  private final PeerWrites peerWrites;
  private final Map<String, Running> outgoing = new LinkedHashMap<>();
  private final Map<Incoming, Running> incoming = new LinkedHashMap<>();
  private long nextRoundMillis;
  private long started;
  private long responded;
  private long completed;
  private long aborted;
  private long keysRepaired;
  private long bytesSent;
  private long bytesReceived;

  AntiEntropy(
      ReplicaConfig config,
      StoreKeyspace view,
      WritePath writes,
      RandomGenerator random,
      Metrics metrics,
      Listener listener,
      PeerWrites peerWrites,
      long nowMillis) {
    this.peerWrites = peerWrites;
    this.config = config;
    this.view = view;
    this.writes = writes;
    this.random = random;
    this.metrics = metrics;
    this.listener = listener;
    this.nextRoundMillis = nowMillis + spacing();
  }

  private long spacing() {
    long jitter = config.antiEntropyJitterMillis();
    long offset = jitter == 0 ? 0 : random.nextLong(jitter + 1) - jitter / 2;
    return Math.max(1, config.antiEntropyIntervalMillis() + offset);
  }

  private boolean skipped() {
    return config.has(Misbehavior.SKIP_ANTI_ENTROPY);
  }

  /**
   * Times out silent sessions, starts sessions with the {@code wanted} live peers that have none
   * running (readiness, drain, log gaps), and starts the periodic round when it is due.
   */
  void tick(long now, Epochs epochs, List<Peer> live, Set<String> wanted, Outbox out) {
    List<Running> all = new ArrayList<>(outgoing.values());
    all.addAll(incoming.values());
    for (Running r : all) {
      if (now - r.lastHeardMillis > config.sessionTimeoutMillis()) {
        handle(
            r,
            r.session.abort("timeout: no message for " + (now - r.lastHeardMillis) + " ms"),
            now,
            out);
      }
    }
    if (skipped()) {
      return;
    }
    for (Peer p : live) {
      if (wanted.contains(p.name)
          && !outgoing.containsKey(p.name)
          && now - p.lastSessionStartMillis >= config.pingIntervalMillis()) {
        start(p, now, epochs.next(), out);
      }
    }
    if (now >= nextRoundMillis) {
      nextRoundMillis = now + spacing();
      List<Peer> idle = live.stream().filter(p -> !outgoing.containsKey(p.name)).toList();
      if (!idle.isEmpty()) {
        start(idle.get(random.nextInt(idle.size())), now, epochs.next(), out);
      }
    }
  }

  private void start(Peer peer, long now, long epoch, Outbox out) {
    SyncSession session = SyncSession.initiate(random.nextLong(), view, config.syncConfig());
    Running r = new Running(session, peer.name, true, epoch, now);
    outgoing.put(peer.name, r);
    peer.lastSessionStartMillis = now;
    started++;
    handle(r, session.start(), now, out);
  }

  /** Routes a session message from {@code from} to its session, opening a responder on Hello. */
  void onEnvelope(String from, SyncEnvelope envelope, long now, Epochs epochs, Outbox out) {
    Running r;
    if (envelope.fromInitiator()) {
      Incoming key = new Incoming(from, envelope.sessionId());
      r = incoming.get(key);
      if (r == null) {
        if (!(envelope.message() instanceof SyncMessage.Hello) || skipped()) {
          metrics.error("sync-unknown-session");
          return;
        }
        if (incoming.size() >= config.maxResponderSessions()) {
          metrics.error("sync-busy");
          SyncMessage busy = new SyncMessage.Abort(envelope.sessionId(), "busy: too many sessions");
          out.send(from, new SyncEnvelope(envelope.sessionId(), false, busy));
          return;
        }
        r =
            new Running(
                SyncSession.respond(view, config.syncConfig()), from, false, epochs.next(), now);
        incoming.put(key, r);
        responded++;
      }
    } else {
      r = outgoing.get(from);
      if (r == null || r.session.id() != envelope.sessionId()) {
        metrics.error("sync-unknown-session");
        return;
      }
    }
    r.lastHeardMillis = now;
    handle(r, r.session.receive(envelope.message()), now, out);
  }

  private void handle(Running r, StepResult step, long now, Outbox out) {
    for (SyncMessage m : step.send()) {
      out.send(r.peer, new SyncEnvelope(r.session.id(), r.initiator, m));
    }
    for (SyncRecord record : step.merge()) {
      try {
        Crdt<?> state = writes.lattice().decode(record.state());
        if (peerWrites.admit(r.peer, Membership.Source.RELAYED, record.key(), state)
            && writes.merge(record.key(), record.state(), state)) {
          keysRepaired++;
        }
      } catch (CrdtDecodeException | IllegalArgumentException e) {
        metrics.error("sync-bad-record");
      }
    }
    writes.flush(now);
    if (!step.finished()) {
      return;
    }
    if (r.initiator) {
      outgoing.remove(r.peer);
    } else {
      incoming.remove(new Incoming(r.peer, r.session.id()));
    }
    SyncSummary summary = step.summary();
    bytesSent += summary.bytesSent();
    bytesReceived += summary.bytesReceived();
    if (step.state() == SyncSession.State.COMPLETED) {
      completed++;
      listener.completed(r.peer, r.startEpoch, confirmed(step), now, out);
    } else {
      aborted++;
    }
  }

  /** The peer surely completed too unless this side's final round carried records. */
  private static boolean confirmed(StepResult step) {
    for (SyncMessage m : step.send()) {
      if (m instanceof SyncMessage.Round round
          && round.parts().stream().anyMatch(p -> p instanceof Part.Records)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a session this node started with {@code peer} is running. */
  boolean runningWith(String peer) {
    return outgoing.containsKey(peer);
  }

  ReplicaStatus.AntiEntropyStatus status() {
    return new ReplicaStatus.AntiEntropyStatus(
        started, responded, completed, aborted, keysRepaired, bytesSent, bytesReceived);
  }

  /** Sessions currently running, either side. */
  int running() {
    return outgoing.size() + incoming.size();
  }
}
