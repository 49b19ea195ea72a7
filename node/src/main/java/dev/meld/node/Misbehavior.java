package dev.meld.node;

/**
 * Deliberate bugs that only test harnesses switch on, so the chaos bench and the simulator can show
 * that their checkers catch each one. A production node never sets any.
 */
public enum Misbehavior {

  /**
   * A write's reply is returned before its batch is committed; the commit happens at the next
   * {@code tick} (or the next commit of anything else). A crash in between loses an acknowledged
   * write.
   */
  ACK_BEFORE_DURABLE,

  /**
   * The receiver of a replication batch advances its cursor and acknowledges the batch without
   * merging its entries: the writes are lost until anti-entropy repairs them.
   */
  DROP_REPLICATION_BATCHES,

  /**
   * The node never starts or answers anti-entropy sessions, and readiness and drain stop waiting
   * for them: whatever the log could not deliver is never repaired.
   */
  SKIP_ANTI_ENTROPY,

  /**
   * The node acts under one fixed incarnation forever, even after a wipe or an unclean stop: its
   * new dots, counter slots and sequence numbers collide with those its peers already hold, which
   * swallow the new writes (Riak's kv679).
   */
  REUSE_INCARNATION,

  /**
   * A log entry is attributed to the replica named in the merged record's metadata (a register's
   * writer, a set's or counter's first replica) instead of the committing node, so entries land in
   * another origin's stream, which this node never ships and peers have already passed.
   */
  ATTRIBUTE_BY_RECORD_ORIGIN
}
