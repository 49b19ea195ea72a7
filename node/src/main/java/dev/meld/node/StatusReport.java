package dev.meld.node;

import dev.meld.antientropy.Digest;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HybridLogicalClock;
import dev.meld.node.ReplicaStatus.MemberState;
import dev.meld.node.ReplicaStatus.MemberStatus;
import dev.meld.node.ReplicaStatus.PeerStatus;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link ReplicaStatus} snapshots from a replica's parts. */
final class StatusReport {

  private final ReplicaConfig config;
  private final ReplicaId self;
  private final Peers peers;
  private final ReplicationLog log;
  private final StoreKeyspace view;
  private final WritePath writes;
  private final HybridLogicalClock hlc;
  private final Metrics metrics;
  private final Membership membership;
  private final AntiEntropy antiEntropy;
  private final Replication replication;
  private final Drain drain;

  StatusReport(
      ReplicaConfig config,
      ReplicaId self,
      Peers peers,
      ReplicationLog log,
      StoreKeyspace view,
      WritePath writes,
      HybridLogicalClock hlc,
      Metrics metrics,
      Membership membership,
      AntiEntropy antiEntropy,
      Replication replication,
      Drain drain) {
    this.config = config;
    this.self = self;
    this.peers = peers;
    this.log = log;
    this.view = view;
    this.writes = writes;
    this.hlc = hlc;
    this.metrics = metrics;
    this.membership = membership;
    this.antiEntropy = antiEntropy;
    this.replication = replication;
    this.drain = drain;
  }

  ReplicaStatus snapshot(long now, boolean ready) {
    ReplicaStatus.MembershipState standing = membership.state(drain.running());
    List<PeerStatus> peerStatus = new ArrayList<>();
    for (Peer p : peers.all()) {
      peerStatus.add(
          new PeerStatus(
              p.name,
              p.incarnation,
              peers.live(p, now),
              p.acked,
              Math.max(0, log.head() - Math.max(p.acked, log.trimmedThrough())),
              log.bytesAfter(Math.max(p.acked, 0)),
              lag(p.acked, now),
              p.lastContactMillis,
              p.synced));
    }
    List<MemberStatus> members = new ArrayList<>();
    for (Member m : membership.members()) {
      Peer p = peers.get(m.name());
      MemberState state =
          m.name().equals(config.nodeName())
              ? MemberState.SELF
              : p != null && peers.live(p, now) ? MemberState.LIVE : MemberState.UNREACHABLE;
      members.add(new MemberStatus(m.name(), m.address(), state));
    }
    ReplicaStatus.LogStatus logStatus =
        new ReplicaStatus.LogStatus(
            log.trimmedThrough(),
            log.retainedEntries(),
            log.retainedBytes(),
            replication.batchesSent(),
            replication.batchesApplied(),
            replication.entriesApplied(),
            replication.gapsReported());
    return new ReplicaStatus(
        config.nodeName(),
        self.incarnation(),
        ready,
        drain.status(),
        writes.liveKeys(),
        view.keyCount(),
        hex(view.digests().root()),
        hlc.last(),
        hlc.clampCount(),
        log.head(),
        logStatus,
        peerStatus,
        antiEntropy.status(),
        members,
        standing,
        metrics.commands(),
        metrics.writes(),
        metrics.errors(),
        metrics.refusals());
  }

  /** Age of the oldest entry a peer has not acknowledged; 0 if none. */
  private long lag(long acked, long now) {
    long oldest = Math.max(acked, log.trimmedThrough()) + 1;
    if (oldest > log.head()) {
      return 0;
    }
    long committed = log.commitTime(oldest);
    return committed < 0 ? 0 : Math.max(0, now - committed);
  }

  static String hex(Digest d) {
    return String.format("%016x%016x", d.hi(), d.lo());
  }
}
