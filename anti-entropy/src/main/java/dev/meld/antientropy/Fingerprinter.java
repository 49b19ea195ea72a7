package dev.meld.antientropy;

import net.openhft.hashing.LongHashFunction;

/**
 * Shortens 128-bit digests to a few bytes for the wire, salted by the session id.
 *
 * <p>Truncating a digest directly would make a collision permanent: two different segments whose
 * digests share their low bytes would compare equal in every session, forever. Hashing the digest
 * with a per-session seed first (XXH3-64 keyed by the session id) makes collisions independent
 * between sessions, so a difference hidden in one session is found by the next. The zero digest (an
 * empty segment) always maps to 0 and nothing else does, so "the peer holds nothing here" is
 * recognizable exactly.
 */
final class Fingerprinter {

  private final LongHashFunction salted;
  private final long[] pair = new long[2];

  Fingerprinter(long sessionId) {
    this.salted = LongHashFunction.xx3(sessionId);
  }

  /**
   * The {@code width}-byte salted fingerprint of {@code digest}; 0 only for {@link Digest#ZERO}.
   */
  long of(Digest digest, int width) {
    if (digest.isZero()) {
      return 0;
    }
    pair[0] = digest.hi();
    pair[1] = digest.lo();
    long hash = salted.hashLongs(pair);
    long truncated = width == 8 ? hash : hash >>> (64 - 8 * width);
    return truncated == 0 ? 1 : truncated;
  }
}
