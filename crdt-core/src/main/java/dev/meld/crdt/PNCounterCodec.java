package dev.meld.crdt;

import java.util.Map;

/**
 * The canonical encoding of a {@link PNCounter}, format version 1:
 *
 * <pre>
 * +------+---------+---------------+---------------+----------------+----------------+
 * | 0x02 | 0x01    | VersionVector | VersionVector | VersionVector  | VersionVector  |
 * | tag  | version | P             | N             | RP (each <= P) | RN (each <= N) |
 * +------+---------+---------------+---------------+----------------+----------------+
 * </pre>
 *
 * A reset only ever records observed counts, so {@code RP[r] <= P[r]} and {@code RN[r] <= N[r]}
 * in every reachable state; input that breaks this is rejected.
 */
final class PNCounterCodec {
  private static final String[] NAMES = {"P", "N", "RP", "RN"};

  private PNCounterCodec() {}

  /**
   * Each vector in {@link CausalCodec#writeVector}'s encoding, written straight from the counter's
   * table: building the four {@code VersionVector}s first cost more than the writing (every INCR
   * encodes its counter twice, the record and the delta).
   */
  static void write(Writer out, PNCounter counter) {
    for (int v = 0; v < PNCounter.VECTORS; v++) {
      int entries = 0;
      for (int row = 0; row < counter.rows(); row++) {
        entries += counter.slot(row, v) != 0 ? 1 : 0;
      }
      out.varint(entries);
      for (int row = 0; row < counter.rows(); row++) {
        long count = counter.slot(row, v);
        if (count != 0) {
          CausalCodec.writeReplica(out, counter.replicaAt(row));
          out.varint(count);
        }
      }
    }
  }

  static PNCounter read(Reader in) {
    VersionVector[] v = new VersionVector[NAMES.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = CausalCodec.readVector(in, NAMES[i]);
    }
    requireAtMost(v[2], "RP", v[0], "P");
    requireAtMost(v[3], "RN", v[1], "N");
    return PNCounter.ofCanonical(v[0], v[1], v[2], v[3]);
  }

  private static void requireAtMost(
      VersionVector low, String lowName, VersionVector high, String highName) {
    for (Map.Entry<ReplicaId, Long> e : low.asMap().entrySet()) {
      long bound = high.get(e.getKey());
      if (e.getValue() > bound) {
        throw new CrdtDecodeException(
            lowName + "[" + e.getKey() + "]: " + e.getValue() + " (expected: <= " + highName + "["
                + e.getKey() + "] = " + bound + ")");
      }
    }
  }
}
