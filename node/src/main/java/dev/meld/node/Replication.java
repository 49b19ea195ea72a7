package dev.meld.node;

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
   * oldest batch in flight is older than `ackTimeout`, the pump rewinds to `acked`. Acks only move
   * `acked` forward; a pump learns a peer's cursor afresh from its pong after the peer restarts.
   *
   * Example, window 2, batches of 10: ship 1-10, 11-20; 1-10 is lost; the receiver drops 11-20
   * (starts past cursor 0 + 1) and acks 0. After ackTimeout the pump rewinds to 0 and ships 1-10,
   * 11-20 again; acks 10 and 20 arrive and the window opens. */

  private record PendingGap(String from, long firstRetained, long epoch) {}

  private final ReplicaConfig config;
  private final ReplicationLog log;
  private final WritePath writes;
  private final HybridLogicalClock hlc;
  private final RecordStore store;
  private final Metrics metrics;
  private final ReplicaId self;
  private final Map<Origin, Long> cursors = new HashMap<>();
  private final Map<Origin, PendingGap> gaps = new HashMap<>();
  private long batchesSent;
  private long batchesApplied;
  private long entriesApplied;
  private long gapsReported;

  Replication(
      ReplicaConfig config,
      ReplicationLog log,
      WritePath writes,
      HybridLogicalClock hlc,
      RecordStore store,
      Metrics metrics,
      ReplicaId self) {
    this.config = config;
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

  /** A peer acknowledged this node's log up to some point; the window opens. */
  void onAck(Peer peer, ReplicateAck ack, long nowMillis, Outbox out) {
    if (!ack.origin().equals(self)) {
      metrics.error("stale-ack"); // for an earlier incarnation of this node
      return;
    }
    advance(peer, ack.appliedUpTo());
    pump(peer, nowMillis, out);
  }

  /** A peer said, in its pong, how far it has applied this node's log. */
  void onCursor(Peer peer, long cursor, long nowMillis, Outbox out) {
    if (peer.acked < 0) {
      peer.acked = cursor;
      peer.sent = cursor;
    } else {
      advance(peer, cursor);
    }
    pump(peer, nowMillis, out);
  }

  private static void advance(Peer peer, long appliedUpTo) {
    if (appliedUpTo > peer.acked) {
      peer.acked = appliedUpTo;
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
      out.send(from, new ReplicateAck(originId, cursor)); // overtook a lost batch, or a duplicate
      return;
    }
    List<Entry> fresh = new ArrayList<>();
    for (Entry e : batch.entries()) {
      if (e.seq() > cursor) {
        fresh.add(e);
      }
    }
    if (!config.has(Misbehavior.DROP_REPLICATION_BATCHES) && !mergeAll(fresh)) {
      return;
    }
    long applied = batch.lastSeq();
    writes.batch().setCursor(origin, applied);
    writes.flush(nowMillis);
    cursors.put(origin, applied);
    batchesApplied++;
    entriesApplied += fresh.size();
    out.send(from, new ReplicateAck(originId, applied));
  }

  /**
   * Validates every entry, then merges them all; on a malformed entry nothing is merged.
   *
   * @return whether the entries were merged
   */
  private boolean mergeAll(List<Entry> entries) {
    for (Entry e : entries) {
      if (e.key().length() > store.limits().maxKeyBytes()) {
        metrics.error("batch-key-too-large");
        return false;
      }
      try {
        writes.lattice().decode(e.delta().toByteArray());
      } catch (CrdtDecodeException ex) {
        metrics.error("malformed-delta");
        return false;
      }
    }
    for (Entry e : entries) {
      try {
        writes.merge(e.key().toByteArray(), e.delta().toByteArray());
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
      out.send(from, new ReplicateAck(originId, cursor));
      return;
    }
    PendingGap known = gaps.get(origin);
    if (known == null || known.firstRetained() < gap.firstRetained()) {
      gaps.put(origin, new PendingGap(from, gap.firstRetained(), epoch));
    }
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
      out.send(
          peer, new ReplicateAck(new ReplicaId(origin.node(), origin.incarnation()), caughtUp));
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
