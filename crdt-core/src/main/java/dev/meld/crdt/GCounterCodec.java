package dev.meld.crdt;

/**
 * The canonical encoding of a {@link GCounter}, format version 1:
 *
 * <pre>
 * +------+---------+-------------------------------------------+
 * | 0x01 | 0x01    | VersionVector of slots (see CausalCodec)  |
 * | tag  | version | count | (ReplicaId | varint slot >= 1)... |
 * +------+---------+-------------------------------------------+
 * </pre>
 *
 * Example: {@code {a#0: 3}} is {@code 01 01 01 01 61 00 03}.
 */
final class GCounterCodec {
  private GCounterCodec() {}

  static void write(Writer out, GCounter counter) {
    CausalCodec.writeVector(out, counter.countsView());
  }

  static GCounter read(Reader in) {
    return GCounter.ofCanonical(CausalCodec.readVector(in, "slots"));
  }
}
