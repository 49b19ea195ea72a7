package dev.meld.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peers of this node: the members other than itself, each with what this node knows of it.
 * Follows the member set ({@link #retainOnly}); a peer is live while it was heard from within the
 * peer-dead timeout.
 */
final class Peers {

  private final long deadTimeoutMillis;
  private final Map<String, Peer> byName = new LinkedHashMap<>();

  Peers(long deadTimeoutMillis) {
    this.deadTimeoutMillis = deadTimeoutMillis;
  }

  /** The peer named {@code name}, or null if it is not a member. */
  Peer get(String name) {
    return byName.get(name);
  }

  Collection<Peer> all() {
    return byName.values();
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  /** Follows the member set: keeps the peers named, adds new ones, forgets the others. */
  void retainOnly(Set<String> names) {
    byName.keySet().retainAll(names);
    for (String name : names) {
      byName.computeIfAbsent(name, Peer::new);
    }
  }

  boolean live(Peer peer, long now) {
    return peer.live(now, deadTimeoutMillis);
  }

  /** The live peers, in member order. */
  List<Peer> live(long now) {
    List<Peer> live = new ArrayList<>();
    for (Peer p : byName.values()) {
      if (live(p, now)) {
        live.add(p);
      }
    }
    return live;
  }

  /** Whether every peer has been heard from at least once. */
  boolean allContacted() {
    return byName.values().stream().allMatch(p -> p.lastContactMillis >= 0);
  }

  /** Live peers that have acknowledged this node's log up to {@code seq}. */
  int ackedAtLeast(long seq, long now) {
    int n = 0;
    for (Peer p : byName.values()) {
      if (p.acked >= seq && live(p, now)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Notes the incarnation a peer's ping or pong came from. A peer that restarted under a new
   * incarnation may have lost what it acknowledged, so its pump waits to learn its cursor again.
   */
  static void noteIncarnation(Peer peer, long incarnation) {
    if (peer.incarnation != incarnation) {
      if (peer.incarnation != -1) {
        peer.resetPump();
      }
      peer.incarnation = incarnation;
    }
  }
}
