package dev.meld.node;

import dev.meld.antientropy.Part;
import dev.meld.antientropy.StepResult;
import dev.meld.antientropy.SyncMessage;
import dev.meld.antientropy.SyncRecord;
import dev.meld.antientropy.SyncSession;
import dev.meld.antientropy.SyncSummary;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Orswot;
import dev.meld.node.logging.RateLimitedLog;
import dev.meld.node.peer.PeerMessage.SyncEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy rounds: on a jittered interval this node starts a {@link SyncSession} with a random
 * live peer, and it answers the sessions peers start. Records a session hands back are merged
 * through the write path like any other change (no log entry), each only if the peer may write it
 * ({@link PeerWrites}); the replica starts and answers sessions with members only. Sessions that
 * hear nothing for the session timeout are aborted. At most one session this node started runs per
 * peer.
 */
final class AntiEntropy {

  /* Why sessions end early is the first thing to know when a replica does not converge; a peer
   * timing out every few seconds must not flood the log. */
  private static final RateLimitedLog ABORTS =
      RateLimitedLog.monotonic(LoggerFactory.getLogger(AntiEntropy.class), 10_000);


  /*
   * Lost messages are sent again. A session is stop-and-wait: Hello, then rounds numbered 1, 2, ...
   * alternating between the sides, so at any time exactly one message is the next to arrive.
   * Before, one lost message stalled its session until the session timeout aborted it, and the next
   * attempt had to get every message through again: with a quarter of all messages lost (simulator
   * seed 1078 of "combined") a restarted node lost every session with one peer for ten seconds and
   * was never ready. Now a side that has heard nothing for retryMillis (a quarter of the session
   * timeout, so a silent peer is still given up on) sends its last message again, and the other
   * side drops what it has already seen:
   *
   *   - a Hello for a responder session that already has it, or a round below the one awaited, is a
   *     duplicate (a retransmission, or the network's own) and is ignored; it used to abort the
   *     session as "stale";
   *   - a message for a session that completed here lately is answered with the session's final
   *     message again (at most once per retry interval): the final round is the one message nobody
   *     would otherwise resend, since its sender is done.
   *
   * Both sides time out on silence, so when a message is lost both resend: the one whose message
   * was lost gets through, the other's duplicate is ignored. Only timers send again, never an
   * arriving duplicate (that would multiply copies on a duplicating network).
   */

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
    final SessionKeyspace view;
    final String peer;
    final boolean initiator;
    final long startEpoch;
    long lastHeardMillis;
    /** What this side sent last and when (first sent or sent again): resent on silence. */
    List<SyncMessage> lastSent = List.of();
    long lastSentMillis;

    Running(
        SyncSession session,
        SessionKeyspace view,
        String peer,
        boolean initiator,
        long startEpoch,
        long now) {
      this.session = session;
      this.view = view;
      this.peer = peer;
      this.initiator = initiator;
      this.startEpoch = startEpoch;
      this.lastHeardMillis = now;
    }
  }

  private record Incoming(String peer, long sessionId) {}

  /** A session that completed here; its final message, if this side sent it, can be resent. */
  private static final class Finished {
    final List<SyncMessage> finalSent;
    final long endedMillis;
    long lastResentMillis;

    Finished(List<SyncMessage> finalSent, long endedMillis) {
      this.finalSent = finalSent;
      this.endedMillis = endedMillis;
      this.lastResentMillis = endedMillis;
    }
  }

  /** A finished session as the peer names it: the peer, the id, and who started it. */
  private record Ended(String peer, long sessionId, boolean initiatedHere) {}

  private final ReplicaConfig config;
  private final StoreKeyspace view;
  private final WritePath writes;
  private final RandomGenerator random;
  private final Metrics metrics;
  private final Listener listener;
  private final PeerWrites peerWrites;
  private final Map<String, Running> outgoing = new LinkedHashMap<>();
  private final Map<Incoming, Running> incoming = new LinkedHashMap<>();
  private final Map<Ended, Finished> finished = new LinkedHashMap<>();
  private final long retryMillis;
  private long nextRoundMillis;
  private long started;
  private long responded;
  private long completed;
  private long aborted;
  private long keysRepaired;
  private long bytesSent;
  private long bytesReceived;
  private long deferred;
  private long lastRoundMillis = Long.MIN_VALUE / 2;

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
    this.retryMillis = Math.max(1, config.sessionTimeoutMillis() / 4);
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

  /*
   * Why periodic rounds wait while the log streams: replicas that the log is bringing up to date
   * differ by what is in flight, and a round then "repairs" what the next batches deliver anyway.
   * For a large set loaded through one node (scripts/bench-node: 1M members, 100 to a SADD, into
   * three nodes) the lagging replicas held a fraction of the leader's members, the comparison found
   * the set lopsided and shipped it whole, the shipment took the replica threads from applying the
   * log, sessions timed out, and the load took 102 s with 55.7 MB of anti-entropy instead of 33 s
   * with a few KB (/tmp/load3.sh runs, issue 16). Nothing depends on the periodic round for what
   * the log carries: a log gap, readiness and the drain start their sessions as "wanted", which
   * never wait, and a round still runs at least once per maxDeferralMillis() while the log streams,
   * as the backstop for what no log carries (a record that reached one replica only through a
   * session with a node since wiped). Not sooner: with a backstop every 20 s, a load slowed to 190 s
   * by a busy machine still had rounds find the set lopsided and ship it whole (102 MB).
   */
  private long maxDeferralMillis() {
    return 30 * config.antiEntropyIntervalMillis();
  }

  /**
   * Times out silent sessions, starts sessions with the {@code wanted} live peers that have none
   * running (readiness, drain, log gaps), and starts the periodic round when it is due, unless the
   * log is {@code streaming} to or from this node and a round ran lately.
   */
  void tick(
      long now, Epochs epochs, List<Peer> live, Set<String> wanted, boolean streaming, Outbox out) {
    List<Running> all = new ArrayList<>(outgoing.values());
    all.addAll(incoming.values());
    for (Running r : all) {
      if (now - r.lastHeardMillis > config.sessionTimeoutMillis()) {
        handle(
            r,
            r.session.abort("timeout: no message for " + (now - r.lastHeardMillis) + " ms"),
            now,
            out);
      } else if (now - Math.max(r.lastHeardMillis, r.lastSentMillis) >= retryMillis
          && !r.lastSent.isEmpty()) {
        r.lastSentMillis = now;
        for (SyncMessage m : r.lastSent) {
          out.send(r.peer, new SyncEnvelope(r.session.id(), r.initiator, m));
        }
      }
    }
    finished.values().removeIf(f -> now - f.endedMillis > config.sessionTimeoutMillis());
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
      if (streaming && now - lastRoundMillis < maxDeferralMillis()) {
        deferred++;
        return;
      }
      List<Peer> idle = live.stream().filter(p -> !outgoing.containsKey(p.name)).toList();
      if (!idle.isEmpty()) {
        lastRoundMillis = now;
        start(idle.get(random.nextInt(idle.size())), now, epochs.next(), out);
      }
    }
  }

  private void start(Peer peer, long now, long epoch, Outbox out) {
    SessionKeyspace sessionView = view.toward(peer.name);
    SyncSession session =
        SyncSession.initiate(random.nextLong(), sessionView, config.syncConfig());
    Running r = new Running(session, sessionView, peer.name, true, epoch, now);
    outgoing.put(peer.name, r);
    peer.lastSessionStartMillis = now;
    started++;
    handle(r, session.start(), now, out);
  }

  /** Routes a session message from {@code from} to its session, opening a responder on Hello. */
  void onEnvelope(String from, SyncEnvelope envelope, long now, Epochs epochs, Outbox out) {
    Finished done = finished.get(new Ended(from, envelope.sessionId(), !envelope.fromInitiator()));
    if (done != null) {
      if (envelope.message() instanceof SyncMessage.Abort) {
        return; // the peer gave up on a session that ended here: nothing to answer
      }
      resendFinal(from, envelope.sessionId(), !envelope.fromInitiator(), done, now, out);
      return;
    }
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
        SessionKeyspace sessionView = view.toward(from);
        r =
            new Running(
                SyncSession.respond(sessionView, config.syncConfig()),
                sessionView,
                from,
                false,
                epochs.next(),
                now);
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
    if (alreadySeen(r.session, envelope.message())) {
      // Not news: hearing it must not push back this side's own resend, which may be what the
      // peer is missing (its copies would keep arriving and this side would never send again).
      return;
    }
    r.lastHeardMillis = now;
    handle(r, r.session.receive(envelope.message()), now, out);
  }

  /**
   * Whether {@code message} is one the session has already taken in: a Hello once the responder
   * has it, or a round below the one awaited. Aborts are never duplicates (they end the session).
   */
  private static boolean alreadySeen(SyncSession session, SyncMessage message) {
    var awaited = session.awaitedSeq();
    if (awaited.isEmpty()) {
      return false;
    }
    if (message instanceof SyncMessage.Hello) {
      return awaited.getAsInt() > 0;
    }
    return message instanceof SyncMessage.Round round && round.seq() < awaited.getAsInt();
  }

  /**
   * The peer is still in a session that completed here: it missed the final message (it resends
   * its own last one on silence). Send the final message again, at most once per retry interval;
   * if this side did not send the final message, the peer has completed too and nothing is due.
   */
  private void resendFinal(
      String peer, long sessionId, boolean initiatedHere, Finished done, long now, Outbox out) {
    if (done.finalSent.isEmpty() || now - done.lastResentMillis < retryMillis) {
      return;
    }
    done.lastResentMillis = now;
    for (SyncMessage m : done.finalSent) {
      out.send(peer, new SyncEnvelope(sessionId, initiatedHere, m));
    }
  }

  /**
   * A set record other than a whole state: a slice or commit of a shipment ({@link SetSlice}),
   * members in ranges ({@link SetRanges}) or a guarded context ({@link SetGuard}); refused for
   * reserved keys.
   */
  private void mergeSetPart(String peer, SyncRecord record) {
    byte[] key = record.key();
    byte[] state = record.state();
    try {
      DecodeLimits limits = writes.lattice().limits();
      String what;
      Orswot<Bytes> set;
      BooleanSupplier merge;
      if (SetSlice.is(state)) {
        SetSlice part = SetSlice.decode(state, limits);
        what = "set part";
        set = part.set();
        merge = () -> writes.mergePart(peer, key, part);
      } else if (SetRanges.is(state)) {
        SetRanges ranges = SetRanges.decode(state, limits);
        what = "set ranges";
        set = ranges.set();
        merge = () -> writes.mergeRanges(key, ranges);
      } else {
        SetGuard guard = SetGuard.decode(state, limits);
        what = "set guard";
        set = guard.set();
        merge = () -> writes.mergeGuard(key, guard);
      }
      if (ReservedKeys.isReserved(key)) {
        peerWrites.refuse(
            PeerWrites.RESERVED_KEY,
            peer,
            what + " for reserved key " + Bytes.of(key) + " (expected: client keys only)");
        return;
      }
      if (peerWrites.admit(peer, Membership.Source.RELAYED, key, set) && merge.getAsBoolean()) {
        keysRepaired++;
      }
    } catch (CrdtDecodeException | IllegalArgumentException e) {
      metrics.error("sync-bad-record");
    }
  }

  private void handle(Running r, StepResult step, long now, Outbox out) {
    for (SyncMessage m : step.send()) {
      out.send(r.peer, new SyncEnvelope(r.session.id(), r.initiator, m));
    }
    for (SyncRecord record : step.merge()) {
      if (SetSlice.is(record.state())
          || SetRanges.is(record.state())
          || SetGuard.is(record.state())) {
        mergeSetPart(r.peer, record);
        continue;
      }
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
    if (!step.send().isEmpty()) {
      r.lastSent = step.send();
      r.lastSentMillis = now;
    }
    if (!step.finished()) {
      return;
    }
    if (r.initiator) {
      outgoing.remove(r.peer);
    } else {
      incoming.remove(new Incoming(r.peer, r.session.id()));
    }
    r.view.ended();
    SyncSummary summary = step.summary();
    bytesSent += summary.bytesSent();
    bytesReceived += summary.bytesReceived();
    if (step.state() == SyncSession.State.COMPLETED) {
      completed++;
      finished.put(
          new Ended(r.peer, r.session.id(), r.initiator), new Finished(step.send(), now));
      listener.completed(r.peer, r.startEpoch, confirmed(step), now, out);
    } else {
      aborted++;
      ABORTS.warn(
          "abort",
          "anti-entropy session {} with {} aborted: {}",
          r.initiator ? "started" : "answered",
          r.peer,
          summary.reason());
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
        started, responded, completed, aborted, keysRepaired, bytesSent, bytesReceived, deferred);
  }

  /** Sessions currently running, either side. */
  int running() {
    return outgoing.size() + incoming.size();
  }
}
