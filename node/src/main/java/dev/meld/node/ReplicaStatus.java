package dev.meld.node;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of what a {@link Replica} knows about itself and its peers: what the RESP {@code
 * INFO}, the admin {@code /health} and {@code /metrics} endpoints and the simulator's checkers
 * read. Times are the node's physical clock in milliseconds; -1 means "never" or "unknown".
 *
 * @param node this node's name
 * @param incarnation the incarnation this session acts under
 * @param ready whether the node has caught up with every live peer since it opened (latched)
 * @param drain the drain status
 * @param keyCount client keys that exist (internal records not counted)
 * @param records every record held, internal ones and those whose value was removed included
 * @param rootDigest the anti-entropy root digest, 32 hex digits
 * @param hlcLast the hybrid logical clock's last stamp
 * @param clockClamps remote stamps beyond the drift bound, clamped since open
 * @param headSeq the local log head: the sequence number of the last local write
 * @param log the local log's retention and the replication counters
 * @param peers one entry per peer (members other than this node), by name
 * @param antiEntropy anti-entropy counters since open
 * @param members the member set as this node sees it, by name
 * @param membership where this node stands in the member set: joining, member, leaving or left
 * @param commands commands executed since open, by command name
 * @param writes local writes committed since open (commands that changed something)
 * @param errors peer messages rejected and other counted errors since open, by reason
 * @param refusals peer messages and records refused for what their sender may not do, since open,
 *     by reason ({@code non-member}, {@code future-stamp}, {@code reserved-key}, {@code
 *     membership-change}; node/README.md, "What a peer may do")
 */
public record ReplicaStatus(
    String node,
    long incarnation,
    boolean ready,
    DrainStatus drain,
    long keyCount,
    long records,
    String rootDigest,
    long hlcLast,
    long clockClamps,
    long headSeq,
    LogStatus log,
    List<PeerStatus> peers,
    AntiEntropyStatus antiEntropy,
    List<MemberStatus> members,
    MembershipState membership,
    Map<String, Long> commands,
    long writes,
    Map<String, Long> errors,
    Map<String, Long> refusals) {

  public ReplicaStatus {
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(membership, "membership");
    peers = List.copyOf(peers);
    members = List.copyOf(members);
    commands = Map.copyOf(commands);
    errors = Map.copyOf(errors);
    refusals = Map.copyOf(refusals);
  }

  /** The status of the peer named {@code name}, if it is a peer. */
  public java.util.Optional<PeerStatus> peer(String name) {
    return peers.stream().filter(p -> p.node().equals(name)).findFirst();
  }

  /**
   * One peer as this node sees it.
   *
   * @param node the peer's name
   * @param incarnation the peer's incarnation as last heard, or -1
   * @param live whether the peer answered within the peer-dead timeout
   * @param ackedSeq how far the peer has acknowledged this node's log, or -1 if not known yet
   * @param backlogEntries local log entries the peer has not acknowledged
   * @param backlogBytes their payload bytes
   * @param lagMillis age of the oldest entry the peer has not acknowledged, 0 if none
   * @param lastContactMillis when a message from the peer last arrived, or -1
   * @param synced whether an anti-entropy session with the peer has completed since open
   */
  public record PeerStatus(
      String node,
      long incarnation,
      boolean live,
      long ackedSeq,
      long backlogEntries,
      long backlogBytes,
      long lagMillis,
      long lastContactMillis,
      boolean synced) {}

  /**
   * One member as this node sees it.
   *
   * @param name the member's name
   * @param address its address
   * @param state this node, a live peer, or a peer not heard from within the timeout
   */
  public record MemberStatus(String name, String address, MemberState state) {}

  /** How a member looks from here. */
  public enum MemberState {
    SELF,
    LIVE,
    UNREACHABLE
  }

  /**
   * Where this node stands in the member set.
   *
   * <ul>
   *   <li>{@code JOINING}: it added itself to the set, and no peer has shown yet that it lists this
   *       node (no ping from a peer: peers ping only their members). Not ready meanwhile.
   *   <li>{@code MEMBER}: a peer listed it (or it is alone, or it was listed when its store
   *       opened).
   *   <li>{@code LEAVING}: it removed itself and is draining.
   *   <li>{@code LEFT}: the leave's drain ended (completed or timed out); the shell stops it.
   *   <li>{@code MISSING}: it has not left, yet the member set does not list it, so peers neither
   *       ping it nor take its data. No peer can cause this (node/README.md, "What a peer may
   *       do"); a member set damaged before those rules, or not a set at all, can. Never ready.
   * </ul>
   */
  public enum MembershipState {
    JOINING,
    MEMBER,
    LEAVING,
    LEFT,
    MISSING
  }

  /**
   * Anti-entropy counters since open.
   *
   * @param started sessions this node initiated
   * @param responded sessions peers initiated with this node
   * @param completed sessions that completed (either side)
   * @param aborted sessions that aborted or timed out (either side)
   * @param keysRepaired records a session changed here
   * @param bytesSent session bytes sent
   * @param bytesReceived session bytes received
   * @param deferred periodic rounds not started because the log was streaming and a round had run
   *     lately
   */
  public record AntiEntropyStatus(
      long started,
      long responded,
      long completed,
      long aborted,
      long keysRepaired,
      long bytesSent,
      long bytesReceived,
      long deferred) {}

  /**
   * The local log and replication counters.
   *
   * @param trimmedThrough local entries up to here are trimmed
   * @param retainedEntries entries retained
   * @param retainedBytes their payload bytes
   * @param batchesSent replication batches sent
   * @param batchesApplied replication batches received and applied (at least in part)
   * @param entriesApplied entries received and merged
   * @param gapsReported peers told they are behind the retained log
   */
  public record LogStatus(
      long trimmedThrough,
      long retainedEntries,
      long retainedBytes,
      long batchesSent,
      long batchesApplied,
      long entriesApplied,
      long gapsReported) {}
}
