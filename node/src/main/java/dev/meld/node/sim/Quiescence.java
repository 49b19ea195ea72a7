package dev.meld.node.sim;

import dev.meld.node.DrainStatus;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.store.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What keeps a cluster from being quiet, as violations: a member without a running process, members
 * with different anti-entropy root digests, a replication backlog towards a member, a drain still
 * running. An empty list means quiet.
 */
final class Quiescence {

  private Quiescence() {}

  static List<Violation> problems(SimCluster cluster, List<String> members) {
    List<Violation> problems = new ArrayList<>();
    Map<String, ReplicaStatus> statuses = new TreeMap<>();
    for (String member : members) {
      Optional<ReplicaStatus> status =
          cluster.isUp(member) ? cluster.status(member) : Optional.empty();
      if (status.isEmpty()) {
        problems.add(
            new Violation(
                Violation.Kind.FAILURE, null, member + " has no running process", List.of()));
      } else {
        statuses.put(member, status.get());
      }
    }
    Map<String, List<String>> byDigest = new TreeMap<>();
    statuses.forEach(
        (member, status) ->
            byDigest.computeIfAbsent(status.rootDigest(), d -> new ArrayList<>()).add(member));
    if (byDigest.size() > 1) {
      problems.add(
          new Violation(
              Violation.Kind.DIVERGED, null, "root digests differ: " + byDigest, List.of()));
    }
    statuses.forEach(
        (member, status) -> {
          for (ReplicaStatus.PeerStatus peer : status.peers()) {
            if (members.contains(peer.node()) && peer.backlogEntries() > 0) {
              problems.add(
                  new Violation(
                      Violation.Kind.BACKLOG,
                      null,
                      member
                          + " -> "
                          + peer.node()
                          + ": "
                          + peer.backlogEntries()
                          + " entries unacknowledged (acked "
                          + peer.ackedSeq()
                          + " of head "
                          + status.headSeq()
                          + ", live "
                          + peer.live()
                          + ")",
                      List.of()));
            }
          }
          ackedBeyondApplied(cluster, member, status, statuses, problems);
          if (status.drain().state() == DrainStatus.State.RUNNING) {
            problems.add(
                new Violation(
                    Violation.Kind.STUCK_DRAINING,
                    null,
                    member + " is still draining: " + status.drain(),
                    List.of()));
          }
        });
    return problems;
  }

  /**
   * A node may count a peer as having applied its log only as far as the peer's store says: acks
   * are sent after the cursor is persisted. A node that believes more (an ack taken from a dead
   * incarnation of the peer, say) never ships the difference again.
   */
  private static void ackedBeyondApplied(
      SimCluster cluster,
      String member,
      ReplicaStatus status,
      Map<String, ReplicaStatus> statuses,
      List<Violation> problems) {
    Origin origin = new Origin(member, status.incarnation());
    for (ReplicaStatus.PeerStatus peer : status.peers()) {
      if (!statuses.containsKey(peer.node())) {
        continue;
      }
      long applied = cluster.node(peer.node()).cursors().getOrDefault(origin, 0L);
      if (peer.ackedSeq() > applied) {
        problems.add(
            new Violation(
                Violation.Kind.ACKED_BEYOND_APPLIED,
                null,
                member
                    + " counts "
                    + peer.node()
                    + " as having applied "
                    + origin
                    + " through "
                    + peer.ackedSeq()
                    + ", but "
                    + peer.node()
                    + "'s store has it through "
                    + applied,
                List.of()));
      }
    }
  }
}
