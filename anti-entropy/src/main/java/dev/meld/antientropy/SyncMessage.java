package dev.meld.antientropy;

import java.util.List;
import java.util.Objects;

/**
 * A message of the anti-entropy sync protocol. A session is a strict alternation: the initiator
 * sends {@link Hello}, then each side answers every {@link Round} it receives with exactly one
 * {@link Round}, until one side sends a round marked {@code last}; either side may send {@link
 * Abort} at any time. {@link SyncCodec} draws the wire format.
 */
public sealed interface SyncMessage {

  /** The session this message belongs to; callers route messages to sessions by it. */
  long sessionId();

  /**
   * Opens a session: what the responder needs to agree on how to compare.
   *
   * @param sessionId chosen by the initiator, unique among its live sessions
   * @param keyCount how many keys the initiator holds (sizes the comparison)
   * @param keyHashSum the sum of the initiator's key hashes ({@link DigestTree#keyHashSum()})
   * @param fanoutBits each descent step splits a segment into {@code 2^fanoutBits} children
   * @param digestBytes width of the salted, truncated interior digests (1..8)
   * @param fingerprintBytes width of the salted per-record fingerprints (1..8)
   * @param root the initiator's full 128-bit root digest
   */
  record Hello(
      long sessionId,
      long keyCount,
      long keyHashSum,
      int fanoutBits,
      int digestBytes,
      int fingerprintBytes,
      Digest root)
      implements SyncMessage {
    public Hello {
      if (keyCount < 0) {
        throw new IllegalArgumentException("keyCount: " + keyCount + " (expected: >= 0)");
      }
      SyncConfig.checkWidths(fanoutBits, digestBytes, fingerprintBytes);
      Objects.requireNonNull(root, "root");
    }
  }

  /**
   * One turn of a session.
   *
   * @param seq 1 for the responder's first round, then +1 per message in either direction
   * @param idle the sender has nothing more queued after this round
   * @param last the session is complete: the sender is idle, knows the receiver is idle, and this
   *     round asks nothing; the receiver merges it and does not answer
   * @param parts what this round carries
   */
  record Round(long sessionId, int seq, boolean idle, boolean last, List<Part> parts)
      implements SyncMessage {
    public Round {
      if (seq < 1) {
        throw new IllegalArgumentException("seq: " + seq + " (expected: >= 1)");
      }
      if (last && !idle) {
        throw new IllegalArgumentException("a last round must be idle");
      }
      parts = List.copyOf(parts);
    }
  }

  /**
   * Ends a session without completing it. Records already merged stay merged (merging is monotone);
   * what was not repaired the next session repairs.
   *
   * @param reason why, at most {@value #MAX_REASON_CHARS} characters (longer reasons are cut)
   */
  record Abort(long sessionId, String reason) implements SyncMessage {
    public static final int MAX_REASON_CHARS = 256;

    public Abort {
      reason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
    }
  }
}
