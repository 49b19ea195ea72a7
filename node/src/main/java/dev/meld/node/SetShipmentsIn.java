package dev.meld.node;

import dev.meld.crdt.Bytes;
import java.util.Map;

/**
 * How far each incoming set shipment ({@link SetSlice}) has come, per sender and key: a commit is
 * joined only after every slice of its shipment, from element hash 0 to the last, was merged in
 * order, each starting at or before where the shipment had got to (slices shipped again overlap).
 * Progress outlives sessions, so a shipment resumed in a later session ({@link ShipmentsOut}) can
 * still commit. A slice after a gap is still merged (it is a valid delta on its own) but the
 * shipment can no longer commit; the next anti-entropy round ships the set again.
 */
final class SetShipmentsIn {

  /** Shipments followed at once; the oldest is forgotten (it will be shipped again). */
  static final int MAX_FOLLOWED = 1024;

  private record Key(String peer, Bytes key) {}

  private record Progress(long shipment, long nextFrom, boolean complete) {}

  private final Map<Key, Progress> followed =
      new LruMap<>(MAX_FOLLOWED);

  /** Notes that {@code slice} of {@code peer}'s shipment for {@code key} was merged. */
  void sliceMerged(String peer, Bytes key, SetSlice slice) {
    Key k = new Key(peer, key);
    Progress p = followed.get(k);
    if (slice.from() == 0) {
      p = new Progress(slice.shipment(), 0, false);
    }
    if (p == null
        || p.shipment() != slice.shipment()
        || (!p.complete() && slice.from() > p.nextFrom())) {
      followed.remove(k); // a gap: this shipment cannot commit
      return;
    }
    if (p.complete()) {
      return; // a slice shipped again after the last: everything is still covered
    }
    // A slice may start before where the shipment has got to: a shipment resumed in a new session
    // ships the last slices of the old one again (SetShipment#rewind). Merging one twice is
    // harmless; what matters for the commit is that every hash was covered.
    boolean last = slice.to() == SetSlice.LAST_HASH;
    followed.put(
        k, new Progress(p.shipment(), last ? 0 : Math.max(p.nextFrom(), slice.to() + 1), last));
  }

  /**
   * Whether {@code commit} ends a shipment whose every slice was merged in order; forgets the
   * shipment either way.
   */
  boolean mayCommit(String peer, Bytes key, SetSlice commit) {
    Progress p = followed.remove(new Key(peer, key));
    return p != null && p.complete() && p.shipment() == commit.shipment();
  }
}
