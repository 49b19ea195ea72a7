package dev.meld.node;

import dev.meld.antientropy.KeyspaceView;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import dev.meld.node.store.RecordStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A set too large for one anti-entropy message, shipped as {@link SetSlice}s in element-hash order
 * and then a commit, each read from the store when it is shipped: a repair of a set of any size
 * holds one slice in memory, not the set. What the receiver does with them, and why it is safe, is
 * in {@link SetSlice}. A shipment can also cover one range of element hashes and no commit: the
 * slices anti-entropy swaps where a member-by-member comparison found a difference ({@link
 * SetMembersView}).
 */
final class SetShipment implements KeyspaceView.RecordParts {

  /** Room kept in each part for its header and the canonical encoding's own counts. */
  private static final int SLACK = 64;

  private final RecordStore store;
  private final byte[] key;
  private final DecodeLimits limits;
  private final int maxPartBytes;
  private final long id;
  private final CausalContext first; // null: no commit
  private final long lastHash;
  private long nextFrom;
  private boolean slicesDone;
  private boolean finished;
  /* Where the last two slices handed out began: a resumed shipment starts again at the older. */
  private long lastStart;
  private long lastButOneStart;

  private SetShipment(
      RecordStore store,
      byte[] key,
      DecodeLimits limits,
      int maxPartBytes,
      long id,
      CausalContext first,
      long fromHash,
      long toHash) {
    this.store = store;
    this.key = key.clone();
    this.limits = limits;
    this.maxPartBytes = maxPartBytes;
    this.id = id;
    this.first = first;
    this.nextFrom = fromHash;
    this.lastHash = toHash;
    this.lastStart = fromHash;
    this.lastButOneStart = fromHash;
  }

  /** Whether this shipment ends with a commit (a whole set), and so may be resumed. */
  boolean whole() {
    return first != null;
  }

  /** Whether its commit was handed out: nothing is left to resume. */
  boolean finished() {
    return finished;
  }

  int maxPartBytes() {
    return maxPartBytes;
  }

  /**
   * Prepares the shipment to go on in another session after its own ended before the commit: the
   * next slice starts where the last but one handed out did. The receiver takes a slice of the
   * same shipment that starts at or before where it has got to ({@link SetShipmentsIn}), so a
   * slice or two lost with the old session (sent but never merged, or packed but never sent) are
   * shipped again, and the shipment still commits. If more were lost, the receiver cannot commit
   * it, and the next shipment starts afresh.
   */
  void rewind() {
    nextFrom = lastButOneStart;
    lastStart = lastButOneStart;
    slicesDone = false;
  }

  /**
   * A shipment of the set {@code header} describes, or null if even its context does not leave
   * room for a member in a part.
   */
  static SetShipment start(
      RecordStore store,
      byte[] key,
      SetHeader header,
      DecodeLimits limits,
      int maxPartBytes,
      long id) {
    return roomForMembers(id, header, maxPartBytes)
        ? new SetShipment(
            store, key, limits, maxPartBytes, id, header.context(), 0, SetSlice.LAST_HASH)
        : null;
  }

  /**
   * The slices of the members whose 63-bit element hash lies in {@code [fromHash, toHash]}, with no
   * commit; null if even the context leaves no room for a member in a part.
   */
  static SetShipment range(
      RecordStore store,
      byte[] key,
      SetHeader header,
      DecodeLimits limits,
      int maxPartBytes,
      long id,
      long fromHash,
      long toHash) {
    return roomForMembers(id, header, maxPartBytes)
        ? new SetShipment(store, key, limits, maxPartBytes, id, null, fromHash, toHash)
        : null;
  }

  /** Whether a part over the set's context leaves room for members (half the part, at least). */
  private static boolean roomForMembers(long id, SetHeader header, int maxPartBytes) {
    return SetSlice.commit(id, header.context()).length + SLACK < maxPartBytes / 2;
  }

  @Override
  public byte[] next() {
    if (finished) {
      return null;
    }
    if (slicesDone) {
      finished = true;
      return first == null ? null : SetSlice.commit(id, first);
    }
    byte[] value = store.get(key).orElse(null);
    if (value == null || !SetHeader.is(value)) {
      finished = true; // the key no longer holds a set: a register won meanwhile
      return null;
    }
    SetHeader header = SetHeader.decode(value, limits);
    CausalContext context = header.context();
    long budget = maxPartBytes - (long) SetSlice.commit(id, context).length - SLACK - 3L * Long.BYTES;
    Map<Bytes, List<Dot>> members = new HashMap<>();
    boolean pending = header.pending() > 0;
    long[] used = {0};
    long[] last = {-1};
    long[] stopAt = {-1};
    PiecedSet.open(store, key, header)
        .members(
            nextFrom,
            (hash, element, dots) -> {
              if (hash > lastHash) {
                return false;
              }
              // Pending dots also go into the part's context (SetHeader#contextCovering).
              long size =
                  element.length() + (pending ? 2L : 1L) * dots.length + 2L * Long.BYTES;
              if (!members.isEmpty() && hash != last[0] && used[0] + size > budget) {
                stopAt[0] = hash;
                return false;
              }
              members.put(element, SetPieces.decodeDots(dots));
              used[0] += size;
              last[0] = hash;
              return true;
            });
    long from = nextFrom;
    lastButOneStart = lastStart;
    lastStart = from;
    long to = stopAt[0] < 0 ? lastHash : stopAt[0] - 1;
    if (to == lastHash) {
      slicesDone = true;
    } else {
      nextFrom = to + 1;
    }
    return SetSlice.slice(
        id, from, to, Orswot.of(ElementCodec.BYTES, header.contextCovering(members), members));
  }
}
