package dev.meld.node;

import dev.meld.crdt.Bytes;
import java.util.Iterator;
import java.util.Map;

/**
 * Whole-set shipments this node is sending, per peer and key, kept so that one cut short by its
 * session's end goes on in the next session with that peer instead of starting again at the first
 * member ({@link SetShipment#rewind}).
 *
 * <p>Why: a replica far behind on a set of millions is repaired by a shipment of all of it, which
 * takes minutes, longer than sessions last on a loaded node (a session ends after 5 s without a
 * message). Started again from the first member in each session, the shipment re-sent what the
 * receiver held and stalled (scripts/big-set: a wiped replica of a 3,000,000-member set gained
 * about 360,000 members per session, in jumps, and the sessions each re-read the set from the
 * start).
 *
 * <p>A kept shipment belongs to the session that uses it until that session ends ({@link
 * #release}); only then may another take it, so two sessions never draw slices from one shipment.
 */
final class ShipmentsOut {

  /** Shipments kept at once; the least recently used is dropped (it will start afresh). */
  static final int MAX_KEPT = 64;

  private record Key(String peer, Bytes key) {}

  private static final class Kept {
    final SetShipment shipment;
    Object owner;

    Kept(SetShipment shipment, Object owner) {
      this.shipment = shipment;
      this.owner = owner;
    }
  }

  private final Map<Key, Kept> kept =
      new LruMap<>(MAX_KEPT);

  /**
   * The shipment of {@code key} to {@code peer} cut short by an ended session, rewound and now
   * {@code owner}'s; null if there is none (or it finished, or its parts had another size).
   */
  SetShipment resume(String peer, byte[] key, int maxPartBytes, Object owner) {
    Key k = new Key(peer, Bytes.of(key));
    Kept entry = kept.get(k);
    if (entry == null || entry.owner != null) {
      return null;
    }
    if (entry.shipment.finished() || entry.shipment.maxPartBytes() != maxPartBytes) {
      kept.remove(k);
      return null;
    }
    entry.owner = owner;
    entry.shipment.rewind();
    return entry.shipment;
  }

  /** Keeps {@code shipment} of {@code key} to {@code peer}, {@code owner}'s until released. */
  void keep(String peer, byte[] key, SetShipment shipment, Object owner) {
    Key k = new Key(peer, Bytes.of(key));
    Kept old = kept.get(k);
    if (old != null && old.owner != null && old.owner != owner) {
      return; // another running session ships this key to this peer: leave it be
    }
    kept.put(k, new Kept(shipment, owner));
  }

  /** {@code owner}'s session ended: its unfinished shipments may be resumed, finished ones go. */
  void release(Object owner) {
    for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
      Kept k = it.next();
      if (k.owner == owner) {
        if (k.shipment.finished()) {
          it.remove();
        } else {
          k.owner = null;
        }
      }
    }
  }

  int size() {
    return kept.size();
  }
}
