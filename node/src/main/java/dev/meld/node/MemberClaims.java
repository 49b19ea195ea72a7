package dev.meld.node;

import dev.meld.crdt.Bytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which anti-entropy sessions compare which sets' members with which peer, so that two sessions
 * with one peer at once (one started by each side, the usual case after a heal) do not both find
 * and repair the same differing members: that doubled the bytes of every member repair
 * (SetMembersBandwidthReport, 6 sessions). Of sessions with one peer that claim one set, the one
 * with the smallest session id compares it; both replicas see both ids, so they agree on which
 * one without a message. A session that claimed first keeps comparing if a smaller one comes
 * later (its peer has moved on); the later one compares too, as before. Claims end with their
 * session.
 */
final class MemberClaims {

  private record Claim(String peer, Bytes key) {}

  private final Map<Claim, Map<Object, Long>> claims = new HashMap<>();
  private final Map<Object, List<Claim>> bySession = new HashMap<>();

  /**
   * Whether {@code session} (id {@code sessionId}, with {@code peer}) compares {@code key}'s
   * members: false if another live session with that peer claimed them with a smaller id.
   */
  boolean claim(String peer, byte[] key, Object session, long sessionId) {
    Claim claim = new Claim(peer, Bytes.of(key));
    Map<Object, Long> holders = claims.computeIfAbsent(claim, c -> new HashMap<>());
    for (Map.Entry<Object, Long> holder : holders.entrySet()) {
      if (holder.getKey() != session && holder.getValue() < sessionId) {
        return false;
      }
    }
    if (holders.put(session, sessionId) == null) {
      bySession.computeIfAbsent(session, s -> new ArrayList<>()).add(claim);
    }
    return true;
  }

  /** {@code session} ended: its claims go. */
  void release(Object session) {
    List<Claim> held = bySession.remove(session);
    if (held == null) {
      return;
    }
    for (Claim claim : held) {
      Map<Object, Long> holders = claims.get(claim);
      holders.remove(session);
      if (holders.isEmpty()) {
        claims.remove(claim);
      }
    }
  }

  int size() {
    return claims.size();
  }
}
