package dev.meld.node;

import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtDecodeException;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HybridLogicalClock;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.peer.PeerMessage.Entry;
import dev.meld.node.peer.PeerMessage.LogGap;
import dev.meld.node.peer.PeerMessage.ReplicateAck;
import dev.meld.node.peer.PeerMessage.ReplicateBatch;
import dev.meld.node.store.Origin;
import dev.meld.node.store.RecordStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Log shipping in both directions. As a sender, one pump per peer ships this node's log in bounded
 * batches with at most {@code inflightWindow} unacknowledged, rewinds to the acknowledged position
 * when acknowledgements stop coming, and tells a peer that fell behind the retained log so
 * anti-entropy can repair it. As a receiver, it merges contiguous entries, persists "applied up to
 * S" for the origin in the same batch, then acknowledges.
 */
final class Replication {

  /* The protocol is go-back-N over an unreliable network. A pump keeps `acked` (what the peer said
   * it applied) and `sent` (what it shipped since the last rewind). It ships from sent + 1 while
   * fewer than `inflightWindow` batches are unacknowledged. The receiver applies a batch only if it
   * starts at or before its cursor + 1 (entries at or below the cursor are duplicates, skipped) and
   * otherwise just acknowledges its cursor: a batch that overtook a lost one is dropped. When the
   * oldest batch in flight is older than `ackTimeout`, the pump rewinds to `acked`.
   *
   * Example, window 2, batches of 10: ship 1-10, 11-20; 1-10 is lost; the receiver drops 11-20
   * (starts past cursor 0 + 1) and acks 0. After ackTimeout the pump rewinds to 0 and ships 1-10,
   * 11-20 again; acks 10 and 20 arrive and the window opens.
   *
   * Whose cursor. A cursor lives in the store of one incarnation of the peer, and a peer that
   * restarts under a new incarnation (crash, wipe, restore) may have lost it. So acks and pongs
   * name the incarnation that sent them and count only if it is the peer's current one (the one
   * its latest ping or pong named); when that changes, the pump forgets `acked` and learns it
   * again from the new incarnation. Without the name, an ack the old incarnation sent just before
   * it died, delivered after the new one's ping, passed for the new one's: the pump then shipped
   * from past the new incarnation's cursor, which dropped every batch, forever (simulator seed 331:
   * n1 -> n2 "acked 53 of head 70" while n2's store held n1's log through 0). A ping or pong of
   * the old incarnation overtaken by the new one's makes the old one current again, but only until
   * the new one's next ping or pong resets the pump once more: a delay, never a stall.
   *
   * Within one incarnation, cursors and acks only move `acked` forward. A store keeps its
   * incarnation only if it was closed cleanly, and its cursors never move back, so a cursor below
   * `acked` from the current incarnation is a message older than the ack that raised `acked`,
   * overtaken on the way. Lowering `acked` on it would resend what the peer holds, could report a
   * log gap that is not there (the log may be trimmed up to `acked`), and would make WAIT's counts
   * go back. A peer that lost state without a new incarnation would break the rule that a (replica,
   * counter) pair is never reused, far worse than a stalled pump; the simulator checks for it
   * directly (no pump's `acked` beyond the peer's persisted cursor once the cluster is quiet). */

  private record PendingGap(String from, long firstRetained, long epoch) {}

  private final ReplicaConfig config;
  private final ReplicationLog log;
  private final WritePath writes;
  private final HybridLogicalClock hlc;
  private final RecordStore store;
  private final Metrics metrics;
  private final ReplicaId self;
  private final PeerWrites peerWrites;
  private final Map<Origin, Long> cursors = new HashMap<>();
  private final Map<Origin, PendingGap> gaps = new HashMap<>();
  private long batchesSent;
  private long batchesApplied;
  private long entriesApplied;
  private long gapsReported;
  private long lastFreshBatchMillis = Long.MIN_VALUE / 2;

  Replication(
      ReplicaConfig config,
      ReplicationLog log,
      WritePath writes,
      HybridLogicalClock hlc,
      RecordStore store,
      Metrics metrics,
      ReplicaId self,
      PeerWrites peerWrites) {
    this.config = config;
    this.peerWrites = peerWrites;
    this.log = log;
    this.writes = writes;
    this.hlc = hlc;
    this.store = store;
    this.metrics = metrics;
    this.self = self;
  }

  // ------------------------------------------------------------------------------ sender

  /** Ships what the window allows to a live peer whose cursor is known. */
  void pump(Peer peer, long nowMillis, Outbox out) {
    if (peer.acked < 0) {
      return;
    }
    Peer.Inflight oldest = peer.inflight.peekFirst();
    if (oldest != null && nowMillis - oldest.sentAtMillis() > config.ackTimeoutMillis()) {
      peer.rewind();
    }
    long from = Math.max(peer.acked, peer.sent) + 1;
    if (from > log.head()) {
      return;
    }
    if (from <= log.trimmedThrough()) {
      if (nowMillis - peer.lastGapMillis >= config.ackTimeoutMillis()) {
        peer.lastGapMillis = nowMillis;
        gapsReported++;
        out.send(peer.name, new LogGap(self, log.trimmedThrough() + 1));
      }
      return;
    }
    while (peer.inflight.size() < config.inflightWindow() && from <= log.head()) {
      List<Entry> entries = log.read(from, config.batchMaxEntries(), config.batchMaxBytes());
      ReplicateBatch batch = new ReplicateBatch(self, entries, hlc.now());
      out.send(peer.name, batch);
      batchesSent++;
      peer.sent = batch.lastSeq();
      peer.inflight.addLast(new Peer.Inflight(batch.lastSeq(), nowMillis));
      from = batch.lastSeq() + 1;
    }
  }

  /**
   * A peer acknowledged this node's log up to some point; the window opens. Counted and ignored if
   * it acknowledges an earlier incarnation of this node, or comes from an incarnation of the peer
   * other than its current one.
   */
  void onAck(Peer peer, ReplicateAck ack, long nowMillis, Outbox out) {
    if (!ack.origin().equals(self)) {
      metrics.error("stale-ack"); // for an earlier incarnation of this node
      return;
    }
    if (!peer.current(ack.sender().incarnation())) {
      metrics.error("ack-from-other-incarnation");
      return;
    }
    advance(peer, ack.appliedUpTo(), nowMillis);
    pump(peer, nowMillis, out);
  }

  /**
   * The peer's current incarnation said, in its pong, how far it has applied this node's log: the
   * pump starts there if its position is unknown, and otherwise moves forward only.
   */
  void onCursor(Peer peer, long cursor, long nowMillis, Outbox out) {
    if (peer.acked < 0) {
      peer.acked = cursor;
      peer.sent = cursor;
    } else {
      advance(peer, cursor, nowMillis);
    }
    pump(peer, nowMillis, out);
  }

  private static void advance(Peer peer, long appliedUpTo, long nowMillis) {
    if (appliedUpTo > peer.acked) {
      peer.acked = appliedUpTo;
      peer.lastAckAdvanceMillis = nowMillis;
    }
    while (!peer.inflight.isEmpty() && peer.inflight.peekFirst().lastSeq() <= peer.acked) {
      peer.inflight.removeFirst();
    }
    if (peer.sent < peer.acked) {
      peer.sent = peer.acked;
    }
  }

  /**
   * Trims the local log through the lowest acknowledgement of the live peers (a live peer whose
   * cursor is unknown holds it at 0), and beyond that as the retention limits demand.
   */
  void trim(Collection<Peer> livePeers) {
    long minAcked = livePeers.isEmpty() ? 0 : Long.MAX_VALUE;
    for (Peer p : livePeers) {
      minAcked = Math.min(minAcked, Math.max(p.acked, 0));
    }
    log.trim(log.trimPoint(minAcked, config.logRetentionEntries(), config.logRetentionBytes()));
  }

  // ------------------------------------------------------------------------------ receiver

  /** How far this node has applied {@code origin}'s log. */
  long cursor(Origin origin) {
    return cursors.computeIfAbsent(origin, store::cursor);
  }

  /** Merges a batch from {@code from}, persists the cursor with it, and acknowledges. */
  void onBatch(String from, ReplicateBatch batch, long nowMillis, Outbox out) {
    ReplicaId originId = batch.origin();
    if (!originId.node().equals(from)) {
      metrics.error("batch-origin-mismatch");
      return;
    }
    Origin origin = new Origin(originId.node(), originId.incarnation());
    long cursor = cursor(origin);
    if (batch.firstSeq() > cursor + 1 || batch.lastSeq() <= cursor) {
      // overtook a lost batch, or a duplicate
      out.send(from, new ReplicateAck(self, originId, cursor));
      return;
    }
    List<Entry> fresh = new ArrayList<>();
    for (Entry e : batch.entries()) {
      if (e.seq() > cursor) {
        fresh.add(e);
      }
    }
    if (!config.has(Misbehavior.DROP_REPLICATION_BATCHES) && !mergeAll(from, fresh)) {
      return;
    }
    long applied = batch.lastSeq();
    writes.batch().setCursor(origin, applied);
    writes.flush(nowMillis);
    cursors.put(origin, applied);
    batchesApplied++;
    entriesApplied += fresh.size();
    if (!fresh.isEmpty()) {
      lastFreshBatchMillis = nowMillis;
    }
    out.send(from, new ReplicateAck(self, originId, applied));
  }

  /**
   * Answers a batch that is not applied (its sender is not a member) with this node's cursor for
   * its origin, if the origin is the sender; applies nothing.
   */
  void ackCursor(String from, ReplicateBatch batch, Outbox out) {
    ReplicaId originId = batch.origin();
    if (originId.node().equals(from)) {
      Origin origin = new Origin(originId.node(), originId.incarnation());
      Long known = cursors.get(origin); // not cached: a stranger may name any number of origins
      long cursor = known != null ? known : store.cursor(origin);
      out.send(from, new ReplicateAck(self, originId, cursor));
    }
  }

  /**
   * Validates every entry, then merges them all; on a malformed entry nothing is merged.
   *
   * @return whether the entries were merged
   */
  private boolean mergeAll(String from, List<Entry> entries) {
    List<Crdt<?>> decoded = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      if (e.key().length() > store.limits().maxKeyBytes()) {
        metrics.error("batch-key-too-large");
        return false;
      }
      try {
        decoded.add(writes.lattice().decode(e.delta().toByteArray()));
      } catch (CrdtDecodeException ex) {
        metrics.error("malformed-delta");
        return false;
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      byte[] key = e.key().toByteArray();
      // An entry of the sender's own log (the origin is the sender): a refused one is skipped,
      // the rest apply (see PeerWrites for why not the whole batch).
      if (!peerWrites.admit(from, Membership.Source.OWN_LOG, key, decoded.get(i))) {
        continue;
      }
      try {
        writes.merge(key, e.delta().toByteArray(), decoded.get(i));
      } catch (IllegalArgumentException ex) {
        metrics.error("merged-record-too-large"); // only this entry's merge is lost; AE retries
      }
    }
    return true;
  }

  /** A peer said its retained log starts past this node's cursor: catch up by anti-entropy. */
  void onGap(String from, LogGap gap, long epoch, Outbox out) {
    ReplicaId originId = gap.origin();
    if (!originId.node().equals(from)) {
      metrics.error("gap-origin-mismatch");
      return;
    }
    Origin origin = new Origin(originId.node(), originId.incarnation());
    long cursor = cursor(origin);
    if (cursor >= gap.firstRetained() - 1) {
      out.send(from, new ReplicateAck(self, originId, cursor));
      return;
    }
    PendingGap known = gaps.get(origin);
    if (known == null || known.firstRetained() < gap.firstRetained()) {
      gaps.put(origin, new PendingGap(from, gap.firstRetained(), epoch));
    }
  }

  /**
   * Whether the log is delivering writes around this node: within the last {@code windowMillis} it
   * applied fresh entries from a peer, or a live peer that has not yet acknowledged this node's
   * whole log acknowledged more of it. Only progress counts, so a stream that stalls (a lost or
   * dropped batch, a peer that stopped applying) stops counting after the window.
   */
  boolean streaming(Collection<Peer> livePeers, long nowMillis, long windowMillis) {
    if (nowMillis - lastFreshBatchMillis < windowMillis) {
      return true;
    }
    for (Peer p : livePeers) {
      if (p.acked >= 0 && p.acked < log.head() && nowMillis - p.lastAckAdvanceMillis < windowMillis) {
        return true;
      }
    }
    return false;
  }

  /** Whether a gap reported by {@code peer} waits for an anti-entropy session with it. */
  boolean awaitsSync(String peer) {
    return gaps.values().stream().anyMatch(g -> g.from().equals(peer));
  }

  /**
   * A session with {@code peer} that started at {@code startEpoch} completed here: this node now
   * holds everything the peer held when the session began, so a gap the peer reported before that
   * is closed: the cursor jumps past the trimmed entries, and the peer is told.
   */
  void onSyncCompleted(String peer, long startEpoch, long nowMillis, Outbox out) {
    Iterator<Map.Entry<Origin, PendingGap>> it = gaps.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Origin, PendingGap> e = it.next();
      PendingGap gap = e.getValue();
      if (!gap.from().equals(peer) || startEpoch <= gap.epoch()) {
        continue;
      }
      it.remove();
      Origin origin = e.getKey();
      long caughtUp = gap.firstRetained() - 1;
      if (caughtUp > cursor(origin)) {
        writes.batch().setCursor(origin, caughtUp);
        writes.flush(nowMillis);
        cursors.put(origin, caughtUp);
      }
      ReplicaId originId = new ReplicaId(origin.node(), origin.incarnation());
      out.send(peer, new ReplicateAck(self, originId, caughtUp));
    }
  }

  /** A ping asks where its sender's log stands here. */
  PeerMessage.Pong pong(String cluster, PeerMessage.Ping ping) {
    Origin pinger = new Origin(ping.sender().node(), ping.sender().incarnation());
    return new PeerMessage.Pong(cluster, self, hlc.now(), ping.sender(), cursor(pinger));
  }

  long batchesSent() {
    return batchesSent;
  }

  long batchesApplied() {
    return batchesApplied;
  }

  long entriesApplied() {
    return entriesApplied;
  }

  long gapsReported() {
    return gapsReported;
  }
}
