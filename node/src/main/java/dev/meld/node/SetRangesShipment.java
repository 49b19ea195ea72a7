package dev.meld.node;

import dev.meld.antientropy.KeyspaceView;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.DecodeLimits;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import dev.meld.node.store.RecordStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of a set in a list of element-hash ranges, shipped as {@link SetRanges} parts: as
 * many whole ranges per part as fit, each part over the set's context as it is when the part is
 * read. A range too large for a part on its own goes as slices of its own ({@link
 * SetShipment#range}).
 */
final class SetRangesShipment implements KeyspaceView.RecordParts {

  /** Room kept in each part for the canonical encoding's own counts. */
  private static final int SLACK = 64;

  private final RecordStore store;
  private final byte[] key;
  private final DecodeLimits limits;
  private final int maxPartBytes;
  private final long id;
  private final long[] from;
  private final long[] to;
  private int next;
  private SetShipment overflow;

  private record Member(Bytes element, List<Dot> dots, long bytes) {}

  SetRangesShipment(
      RecordStore store,
      byte[] key,
      DecodeLimits limits,
      int maxPartBytes,
      long id,
      long[] from,
      long[] to) {
    this.store = store;
    this.key = key.clone();
    this.limits = limits;
    this.maxPartBytes = maxPartBytes;
    this.id = id;
    this.from = from.clone();
    this.to = to.clone();
  }

  @Override
  public byte[] next() {
    while (true) {
      if (overflow != null) {
        byte[] part = overflow.next();
        if (part != null) {
          return part;
        }
        overflow = null;
      }
      if (next == from.length) {
        return null;
      }
      byte[] value = store.get(key).orElse(null);
      if (value == null || !SetHeader.is(value)) {
        next = from.length; // the key no longer holds a set: a register won meanwhile
        return null;
      }
      SetHeader header = SetHeader.decode(value, limits);
      PiecedSet set = PiecedSet.open(store, key, header);
      long room = maxPartBytes - SLACK - (long) SetRanges.overhead(0, header.context());
      Map<Bytes, List<Dot>> members = new HashMap<>();
      long[] partFrom = new long[Math.min(from.length - next, SetRanges.MAX_RANGES)];
      long[] partTo = new long[partFrom.length];
      int ranges = 0;
      while (next < from.length && ranges < partFrom.length) {
        List<Member> inRange = read(set, from[next], to[next]);
        long bytes = SetRanges.RANGE_BYTES;
        for (Member m : inRange) {
          // Pending dots also go into the part's context (SetHeader#contextCovering).
          bytes += header.pending() > 0 ? 2 * m.bytes() : m.bytes();
        }
        if (bytes > room) {
          if (ranges == 0) {
            overflow =
                SetShipment.range(
                    store, key, header, limits, maxPartBytes, id, from[next], to[next]);
            next++;
          }
          break;
        }
        room -= bytes;
        inRange.forEach(m -> members.put(m.element(), m.dots()));
        partFrom[ranges] = from[next];
        partTo[ranges] = to[next];
        ranges++;
        next++;
      }
      if (ranges > 0) {
        return SetRanges.encode(
            partFrom,
            partTo,
            ranges,
            Orswot.of(ElementCodec.BYTES, header.contextCovering(members), members));
      }
    }
  }

  private static List<Member> read(PiecedSet set, long fromHash, long toHash) {
    List<Member> out = new ArrayList<>();
    set.members(
        fromHash,
        (hash, element, dots) -> {
          if (hash > toHash) {
            return false;
          }
          out.add(
              new Member(
                  element, SetPieces.decodeDots(dots), element.length() + dots.length + 2L * Long.BYTES));
          return true;
        });
    return out;
  }
}
