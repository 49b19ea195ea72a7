package dev.meld.node;

import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.LwwRegister;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The replica a record's own metadata names: a register's winning writer, the first replica of a
 * set's causal context, the first replica of a counter's increments (or decrements). Only {@link
 * Misbehavior#ATTRIBUTE_BY_RECORD_ORIGIN} uses it, to attribute a log entry the wrong way.
 */
final class RecordOrigins {

  private RecordOrigins() {}

  static Optional<ReplicaId> of(Crdt<?> state) {
    if (state instanceof LwwRegister<?> register) {
      return register.writer();
    }
    if (state instanceof Orswot<?> set) {
      var vector = set.context().vector().asMap();
      return vector.isEmpty() ? Optional.empty() : Optional.of(vector.firstKey());
    }
    if (state instanceof PNCounter counter) {
      return firstCounterReplica(CrdtCodec.encode(counter));
    }
    return Optional.empty();
  }

  /*
   * A PN-counter encodes as tag, version, then its P and N vectors, each "varint n, then n times
   * (varint nameLength, name, varint incarnation, varint counter)" (crdt-core README). The first
   * replica of P, or of N if P is empty, is read straight from the bytes; the counter has no
   * accessor for its slots, and this misbehavior does not deserve one.
   */
  private static Optional<ReplicaId> firstCounterReplica(byte[] bytes) {
    int[] at = {2};
    for (int vector = 0; vector < 2; vector++) {
      long n = varint(bytes, at);
      if (n > 0) {
        int length = (int) varint(bytes, at);
        String node = new String(bytes, at[0], length, StandardCharsets.UTF_8);
        at[0] += length;
        return Optional.of(new ReplicaId(node, varint(bytes, at)));
      }
    }
    return Optional.empty();
  }

  private static long varint(byte[] bytes, int[] at) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = bytes[at[0]++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
  }
}
