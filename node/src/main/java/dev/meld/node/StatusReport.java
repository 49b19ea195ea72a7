package dev.meld.node;

import dev.meld.antientropy.Digest;
import dev.meld.node.ReplicaStatus.MemberState;
import dev.meld.node.ReplicaStatus.MemberStatus;
import dev.meld.node.ReplicaStatus.PeerStatus;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link ReplicaStatus} snapshot from a replica's parts. */
final class StatusReport {

  private StatusReport() {}

  static ReplicaStatus of(Replica r, long now) {
    ReplicaConfig config = r.config();
    ReplicationLog log = r.log();
    List<PeerStatus> peers = new ArrayList<>();
    for (Peer p : r.peers().values()) {
      peers.add(
          new PeerStatus(
              p.name,
              p.incarnation,
              p.live(now, config.peerDeadTimeoutMillis()),
              p.acked,
              Math.max(0, log.head() - Math.max(p.acked, log.trimmedThrough())),
              log.bytesAfter(Math.max(p.acked, 0)),
              lag(log, p.acked, now),
              p.lastContactMillis,
              p.synced));
    }
    List<MemberStatus> members = new ArrayList<>();
    for (Member m : r.membership().members()) {
      MemberState state;
      if (m.name().equals(config.nodeName())) {
        state = MemberState.SELF;
      } else {
        Peer p = r.peers().get(m.name());
        state =
            p != null && p.live(now, config.peerDeadTimeoutMillis())
                ? MemberState.LIVE
                : MemberState.UNREACHABLE;
      }
      members.add(new MemberStatus(m.name(), m.address(), state));
    }
    Replication replication = r.replication();
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
        r.replicaId().incarnation(),
        r.ready(),
        r.drain().status(),
        r.writes().liveKeys(),
        r.view().keyCount(),
        hex(r.view().digests().root()),
        r.hlc().last(),
        r.hlc().clampCount(),
        log.head(),
        logStatus,
        peers,
        r.antiEntropy().status(),
        members,
        r.metrics().commands(),
        r.metrics().writes(),
        r.metrics().errors());
  }

  /** Age of the oldest entry a peer has not acknowledged; 0 if none. */
  private static long lag(ReplicationLog log, long acked, long now) {
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
