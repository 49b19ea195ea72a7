package dev.meld.crdt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical encoding of an {@link Orswot}, format version 1:
 *
 * <pre>
 * +------+---------+---------------+--------------+----------------------------------------+
 * | 0x03 | 0x01    | CausalContext | varint count | count x Element                        |
 * | tag  | version | (CausalCodec) |              | strictly ascending by encoded bytes,   |
 * |      |         |               |              | compared unsigned lexicographically    |
 * +------+---------+---------------+--------------+----------------------------------------+
 *
 * Element := varint length | element bytes (the ElementCodec's)
 *          | varint dots (>= 1) | dots x ( varint replica | varint counter (>= 1) )
 * </pre>
 *
 * A dot's replica is its position in the replica table: the replicas the context names (vector
 * and cloud), sorted. Dots are strictly ascending by (replica, counter); each is in the context
 * and belongs to one element only. Example: {@code {"x": [a#0:1]}} over the context {@code
 * {a#0:1}} is {@code 03 01 | 01 01 61 00 01 | 00 | 01 01 78 01 00 01}.
 */
final class OrswotCodec {
  /** The fewest bytes an element takes: length, no bytes, one dot of two bytes, dot count. */
  private static final int MIN_ELEMENT_BYTES = 4;

  private OrswotCodec() {}

  static <E> void write(Writer out, Orswot<E> set) {
    CausalContext context = set.contextView();
    CausalCodec.writeContext(out, context);
    Map<ReplicaId, Integer> position = new HashMap<>();
    for (ReplicaId replica : CausalCodec.replicaTable(context)) {
      position.put(replica, position.size());
    }
    List<Map.Entry<byte[], Dot[]>> encoded = new ArrayList<>(set.size());
    set.entriesView()
        .forEach((element, dots) -> encoded.add(Map.entry(set.codec().encode(element), dots)));
    encoded.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    out.varint(encoded.size());
    for (Map.Entry<byte[], Dot[]> e : encoded) {
      out.bytes(e.getKey());
      out.varint(e.getValue().length);
      for (Dot dot : e.getValue()) {
        out.varint(position.get(dot.replica()));
        out.varint(dot.counter());
      }
    }
  }

  static <E> Orswot<E> read(Reader in, ElementCodec<E> codec) {
    CausalContext context = CausalCodec.readContext(in);
    List<ReplicaId> table = CausalCodec.replicaTable(context);
    Orswot<E> set = Orswot.ofContext(codec, context);
    int count = in.count("elements", MIN_ELEMENT_BYTES);
    byte[] previous = null;
    for (int i = 0; i < count; i++) {
      byte[] encoded = in.bytes("element", in.limits().maxElementBytes());
      if (previous != null && Arrays.compareUnsigned(previous, encoded) >= 0) {
        throw new CrdtDecodeException(
            "element " + i + ": not above element " + (i - 1)
                + " (expected: strictly ascending encoded bytes)");
      }
      previous = encoded;
      E element = codec.decode(encoded.clone());
      LwwRegisterCodec.requireCanonical(codec, element, encoded, "element " + i);
      readDots(in, table, set, element, i);
    }
    return set;
  }

  private static <E> void readDots(
      Reader in, List<ReplicaId> table, Orswot<E> set, E element, int i) {
    int dots = in.count("dots of element " + i, 2);
    if (dots == 0) {
      throw new CrdtDecodeException("dots of element " + i + ": 0 (expected: >= 1)");
    }
    Dot previous = null;
    for (int j = 0; j < dots; j++) {
      long position = in.varint("dot replica");
      if (position >= table.size()) {
        throw new CrdtDecodeException(
            "dot replica: " + position + " (expected: < " + table.size()
                + ", a replica of the context)");
      }
      Dot dot = new Dot(table.get((int) position), in.positive("dot counter"));
      if (previous != null && previous.compareTo(dot) >= 0) {
        throw new CrdtDecodeException(
            "dot " + dot + " of element " + i + " after " + previous
                + " (expected: strictly ascending)");
      }
      previous = dot;
      if (!set.contextView().contains(dot)) {
        throw new CrdtDecodeException(
            "dot " + dot + " of element " + i + ": not in the context (expected: seen)");
      }
      if (set.holds(dot.replica(), dot.counter())) {
        throw new CrdtDecodeException(
            "dot " + dot + " of element " + i + ": already held by an earlier element"
                + " (expected: each dot in one element)");
      }
      set.putDot(element, dot);
    }
  }
}
