package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.LwwRegister;
import dev.meld.hlc.HlcTimestamp;
import dev.meld.hlc.PhysicalClock;
import dev.meld.node.logging.RateLimitedLog;

/**
 * Whether a record that arrived from a peer, in a replication batch, an anti-entropy repair or a
 * MEMBERS message, may be merged here: the record half of "what a peer may do" (node/README.md). A
 * refused record changes nothing; it is counted by reason ({@code meld_peer_refusals_total}) and
 * logged, rate-limited.
 *
 * <ul>
 *   <li>A register stamped beyond this node's wall clock plus the drift bound is refused: once
 *       stored it would beat every later write here, each of which the client was told succeeded.
 *   <li>A reserved key is never data: the member set changes only as a membership change ({@link
 *       Membership#refusal}); any other reserved key is refused outright.
 * </ul>
 *
 * <p>Refusing the record rather than its message: a batch is one origin's log in order, so refusing
 * it whole would stall every later write of that origin behind one bad entry (the pump resends the
 * same batch forever). The batch's other entries apply and its cursor moves on; a refused register
 * comes back only by anti-entropy, and only once its stamp is no longer ahead of this node's clock,
 * when it is an ordinary past write.
 */
final class PeerWrites {

  /** Why a record or message from a peer was refused: the {@code reason} tag of the counter. */
  static final String NON_MEMBER = "non-member";

  static final String FUTURE_STAMP = "future-stamp";
  static final String RESERVED_KEY = "reserved-key";
  static final String MEMBERSHIP_CHANGE = "membership-change";

  private final PhysicalClock clock;
  private final long maxDriftMillis;
  private final Membership membership;
  private final WritePath writes;
  private final Metrics metrics;
  private final RateLimitedLog log;

  PeerWrites(
      PhysicalClock clock,
      long maxDriftMillis,
      Membership membership,
      WritePath writes,
      Metrics metrics,
      RateLimitedLog log) {
    this.clock = clock;
    this.maxDriftMillis = maxDriftMillis;
    this.membership = membership;
    this.writes = writes;
    this.metrics = metrics;
    this.log = log;
  }

  /**
   * Whether {@code incoming}, for {@code key}, from {@code from} may be merged; counts and logs a
   * refusal.
   */
  boolean admit(String from, Membership.Source source, byte[] key, Crdt<?> incoming) {
    if (ReservedKeys.isReserved(key)) {
      Bytes k = Bytes.of(key);
      if (!k.equals(ReservedKeys.MEMBERS)) {
        return refuse(
            RESERVED_KEY, from, "key " + k + " is reserved (expected: no peer writes it)");
      }
      String why = membership.refusal(writes.load(k).state, incoming, from, source);
      return why == null || refuse(MEMBERSHIP_CHANGE, from, why);
    }
    if (incoming instanceof LwwRegister<?> register && register.stamp() >= 0) {
      long wall = clock.currentTimeMillis();
      long millis = HlcTimestamp.millis(register.stamp());
      if (millis > wall + maxDriftMillis) {
        return refuse(
            FUTURE_STAMP,
            from,
            "register stamp: "
                + HlcTimestamp.toString(register.stamp())
                + ", "
                + (millis - wall)
                + " ms ahead of this node's clock (expected: <= "
                + maxDriftMillis
                + " ms ahead)");
      }
    }
    return true;
  }

  /** Counts and logs (rate-limited) a refused message or record; returns false. */
  boolean refuse(String reason, String from, String detail) {
    metrics.refusal(reason);
    log.warn(reason, "peer {}: refused ({}): {}", from, reason, detail);
    return false;
  }
}
