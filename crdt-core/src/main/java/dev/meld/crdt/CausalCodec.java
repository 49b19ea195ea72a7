package dev.meld.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The canonical encodings of the causality parts every type is built from. All numbers are
 * varints (see {@link Reader}); replicas are listed in {@link ReplicaId} order, strictly
 * ascending, so each value has exactly one encoding.
 *
 * <pre>
 * ReplicaId      := varint nodeLength (1..255) | node (UTF-8) | varint incarnation
 *
 * VersionVector  := varint count | count x ( ReplicaId | varint counter (>= 1) )
 *
 * CausalContext  := VersionVector
 *                 | varint cloudReplicas
 *                 | cloudReplicas x ( ReplicaId | varint n (>= 1)
 *                                   | n x varint counter )  strictly ascending,
 *                                                            each > vector[replica] + 1
 * </pre>
 */
final class CausalCodec {
  /** The fewest bytes a ReplicaId can take: length, one name byte, incarnation. */
  static final int MIN_REPLICA_BYTES = 3;

  private CausalCodec() {}

  static void writeReplica(Writer out, ReplicaId replica) {
    out.utf8(replica.node(), "node");
    out.varint(replica.incarnation());
  }

  static ReplicaId readReplica(Reader in, Object what) {
    int max = Math.min(ReplicaId.MAX_NODE_BYTES, in.limits().maxElementBytes());
    Label nodeLabel = Label.of(what, " node");
    byte[] name = in.bytes(nodeLabel, max);
    String node = Utf8.decode(name, nodeLabel);
    long incarnation = in.varint(Label.of(what, " incarnation"));
    try {
      return new ReplicaId(node, incarnation);
    } catch (IllegalArgumentException e) {
      throw new CrdtDecodeException(what + " " + e.getMessage());
    }
  }

  static void writeVector(Writer out, VersionVector vector) {
    out.varint(vector.size());
    for (int i = 0; i < vector.size(); i++) {
      writeReplica(out, vector.replicaAt(i));
      out.varint(vector.counterAt(i));
    }
  }

  static VersionVector readVector(Reader in, String what) {
    int count = in.count(Label.of(what, " replicas"), MIN_REPLICA_BYTES + 1);
    ReplicaId[] replicas = new ReplicaId[count];
    long[] counters = new long[count];
    Label replicaLabel = Label.of(what, " replica");
    for (int i = 0; i < count; i++) {
      replicas[i] = readReplica(in, replicaLabel);
      requireAscending(i == 0 ? null : replicas[i - 1], replicas[i], what);
      counters[i] = in.positive(Label.of(what, "[", replicas[i], "]"));
    }
    return VersionVector.ofSorted(replicas, counters);
  }

  static void writeContext(Writer out, CausalContext context) {
    writeVector(out, context.vectorView());
    out.varint(context.cloudView().size());
    for (Map.Entry<ReplicaId, TreeSet<Long>> e : context.cloudView().entrySet()) {
      writeReplica(out, e.getKey());
      out.varint(e.getValue().size());
      for (long counter : e.getValue()) {
        out.varint(counter);
      }
    }
  }

  static CausalContext readContext(Reader in) {
    VersionVector vector = readVector(in, "context vector");
    int replicas = in.count("cloud replicas", MIN_REPLICA_BYTES + 2);
    TreeMap<ReplicaId, TreeSet<Long>> cloud = new TreeMap<>();
    ReplicaId previous = null;
    for (int i = 0; i < replicas; i++) {
      ReplicaId replica = readReplica(in, "cloud replica");
      requireAscending(previous, replica, "cloud");
      previous = replica;
      int n = in.count(Label.of("cloud dots of ", replica), 1);
      if (n == 0) {
        throw new CrdtDecodeException("cloud dots of " + replica + ": 0 (expected: >= 1)");
      }
      TreeSet<Long> counters = new TreeSet<>();
      long top = vector.get(replica);
      for (int j = 0; j < n; j++) {
        long counter = in.positive(Label.of("cloud dot of ", replica));
        // counter - 1 > top: a dot at or next to the vector's top would be in the vector.
        if (j == 0 ? counter - 1 <= top : counter <= counters.last()) {
          throw new CrdtDecodeException(
              "cloud dot " + replica + ":" + counter + " (expected: > "
                  + (j == 0 ? "vector + 1 = " + top + " + 1" : counters.last())
                  + ", ascending and not contiguous with the vector)");
        }
        counters.add(counter);
      }
      cloud.put(replica, counters);
    }
    return CausalContext.ofCanonical(vector, cloud);
  }

  /** The replicas a context mentions, sorted: the table Orswot dots refer to by position. */
  static List<ReplicaId> replicaTable(CausalContext context) {
    TreeSet<ReplicaId> all = new TreeSet<>(context.vectorView().asMap().keySet());
    all.addAll(context.cloudView().keySet());
    return new ArrayList<>(all);
  }

  private static void requireAscending(ReplicaId previous, ReplicaId next, String what) {
    if (previous != null && previous.compareTo(next) >= 0) {
      throw new CrdtDecodeException(
          what + ": replica " + next + " after " + previous + " (expected: strictly ascending)");
    }
  }
}
