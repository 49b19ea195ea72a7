package dev.meld.node.peer;

import dev.meld.antientropy.SyncMessage;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.ReplicaId;
import java.util.List;
import java.util.Objects;

/**
 * A message between two replicas of one cluster, as {@link PeerCodec} frames it. Every message is
 * safe to lose, duplicate, delay or reorder: the replica treats each as a hint about the sender's
 * state, never as a command it must obey once.
 *
 * <p>Stamps ({@code hlc}) are the sender's hybrid logical clock readings; the receiver's clock
 * takes them in (within its drift bound).
 *
 * <p>A cursor ("how far I have applied your log") lives in the store of one incarnation of a node:
 * a node that restarts under a new incarnation may have lost it. So every message that carries one
 * names the incarnation it speaks for, the {@code sender} of a {@link Pong} or a {@link
 * ReplicateAck}, and the receiver takes it only from the incarnation it knows as the peer's current
 * one (the one its latest {@link Ping} or {@link Pong} named). A message the peer's previous
 * incarnation sent just before it died can arrive after the new one has introduced itself; without
 * that name it would pass for the new incarnation's word.
 */
public sealed interface PeerMessage {

  /**
   * "Are you there?" Answered with a {@link Pong}.
   *
   * @param cluster the sender's cluster name; a replica of another cluster does not answer
   * @param sender the sender's name and current incarnation
   * @param hlc the sender's clock
   */
  record Ping(String cluster, ReplicaId sender, long hlc) implements PeerMessage {
    public Ping {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(sender, "sender");
      stamp(hlc);
    }
  }

  /**
   * The answer to a {@link Ping}; also tells the pinger where its log stands here, so a pump
   * (re)starts from the right place after either side restarts.
   *
   * @param cluster the responder's cluster name
   * @param sender the responder's name and current incarnation: the cursor is that incarnation's
   * @param hlc the responder's clock
   * @param pinger the incarnation the ping came from
   * @param cursor how far {@code sender} has applied {@code pinger}'s log (persisted)
   */
  record Pong(String cluster, ReplicaId sender, long hlc, ReplicaId pinger, long cursor)
      implements PeerMessage {
    public Pong {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(pinger, "pinger");
      stamp(hlc);
      notNegative("cursor", cursor);
    }
  }

  /**
   * Consecutive entries of {@code origin}'s log, starting at {@code entries.get(0).seq()}.
   *
   * @param origin the incarnation whose log these entries are
   * @param entries at least one, with consecutive sequence numbers
   * @param hlc the sender's clock
   */
  record ReplicateBatch(ReplicaId origin, List<Entry> entries, long hlc) implements PeerMessage {
    public ReplicateBatch {
      Objects.requireNonNull(origin, "origin");
      entries = List.copyOf(entries);
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("entries: 0 (expected: >= 1)");
      }
      for (int i = 1; i < entries.size(); i++) {
        long expected = entries.get(0).seq() + i;
        if (entries.get(i).seq() != expected) {
          throw new IllegalArgumentException(
              "entry seq: " + entries.get(i).seq() + " (expected: " + expected + ", consecutive)");
        }
      }
      stamp(hlc);
    }

    /** The sequence number of the first entry. */
    public long firstSeq() {
      return entries.get(0).seq();
    }

    /** The sequence number of the last entry. */
    public long lastSeq() {
      return entries.get(entries.size() - 1).seq();
    }
  }

  /**
   * One log entry: the change one local write made to one key.
   *
   * @param seq its sequence number in its origin's log, {@code >= 1}
   * @param key the record's key
   * @param delta the change, a canonical CRDT encoding (merged like any state)
   */
  record Entry(long seq, Bytes key, Bytes delta) {
    public Entry {
      if (seq < 1) {
        throw new IllegalArgumentException("seq: " + seq + " (expected: >= 1)");
      }
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(delta, "delta");
    }
  }

  /**
   * "I, {@code sender}, have applied {@code origin}'s log up to {@code appliedUpTo}": persisted
   * before it is sent.
   *
   * @param sender the acknowledging node's name and current incarnation; the origin counts the ack
   *     only if that is the incarnation it knows as the sender's current one
   * @param origin the incarnation whose log is acknowledged; an ack for an earlier incarnation of
   *     the receiver is stale
   * @param appliedUpTo the sender's cursor for {@code origin}
   */
  record ReplicateAck(ReplicaId sender, ReplicaId origin, long appliedUpTo) implements PeerMessage {
    public ReplicateAck {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(origin, "origin");
      notNegative("appliedUpTo", appliedUpTo);
    }
  }

  /**
   * "You are behind my retained log: it starts at {@code firstRetained}." The receiver catches up
   * by an anti-entropy session with the sender, then moves its cursor to {@code firstRetained - 1}
   * and says so in a {@link ReplicateAck} (which names the receiver's incarnation). The gap is a
   * fact about the sender's log alone, so it holds for whichever incarnation of the receiver gets
   * it: a session that started after it arrived brings everything up to {@code firstRetained - 1}.
   *
   * @param origin the sender's current incarnation, whose log this is
   * @param firstRetained the first sequence number the sender still holds, {@code >= 2}
   */
  record LogGap(ReplicaId origin, long firstRetained) implements PeerMessage {
    public LogGap {
      Objects.requireNonNull(origin, "origin");
      if (firstRetained < 2) {
        throw new IllegalArgumentException(
            "firstRetained: " + firstRetained + " (expected: >= 2; nothing is missing below 1)");
      }
    }
  }

  /**
   * A message of an anti-entropy session.
   *
   * @param sessionId the session (as in {@code message})
   * @param fromInitiator whether the sender initiated the session, so the two sessions two nodes
   *     may run with each other at once never mix
   * @param message the session's message
   */
  record SyncEnvelope(long sessionId, boolean fromInitiator, SyncMessage message)
      implements PeerMessage {
    public SyncEnvelope {
      Objects.requireNonNull(message, "message");
      if (message.sessionId() != sessionId) {
        throw new IllegalArgumentException(
            "message session: "
                + Long.toHexString(message.sessionId())
                + " (expected: "
                + Long.toHexString(sessionId)
                + ")");
      }
    }
  }

  /**
   * "This is the member set as I hold it": a membership message. Every node sends it to each peer
   * it pings, before the ping; a node that is not a member yet (a joiner) thereby asks to join, and
   * a member relays what it learned. The receiver merges it only as far as the sender may change
   * the set (node/README.md, "What a peer may do"): a non-member may remove no entry but its own,
   * no peer may remove the receiver, and the set is never left empty.
   *
   * @param sender the sender's name and current incarnation
   * @param members the canonical encoding of the sender's member set (an OR-set of members)
   */
  record MemberSet(ReplicaId sender, Bytes members) implements PeerMessage {
    public MemberSet {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(members, "members");
    }
  }

  private static void stamp(long hlc) {
    notNegative("hlc", hlc);
  }

  private static void notNegative(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + ": " + value + " (expected: >= 0)");
    }
  }
}
