package dev.meld.crdt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The states the golden vectors in {@code src/test/resources/golden/} encode, by file name. Built
 * through the public API in a fixed way; the vectors pin their bytes.
 */
final class GoldenStates {
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = new ReplicaId("b", 1);
  private static final ReplicaId C = ReplicaId.of("node-c");

  private GoldenStates() {}

  static Map<String, Crdt<?>> all() {
    Map<String, Crdt<?>> states = new LinkedHashMap<>();
    states.put("gcounter-empty", new GCounter());
    GCounter g = new GCounter();
    g.increment(A, 3);
    g.increment(B, 200);
    states.put("gcounter", g);

    states.put("pncounter-empty", new PNCounter());
    PNCounter p = new PNCounter();
    p.increment(A, 5);
    p.decrement(B, 2);
    p.reset(A);
    p.increment(C, 7);
    p.decrement(A, 1);
    states.put("pncounter", p);

    states.put("orswot-empty", Orswot.ofBytes());
    Orswot<Bytes> s = Orswot.ofBytes();
    s.add(A, Bytes.utf8("x")); // a:1
    s.add(A, Bytes.utf8("y")); // a:2
    Orswot<Bytes> peer = Orswot.ofBytes();
    peer.add(B, Bytes.utf8("x")); // b#1:1, concurrent with a:1
    s.mergeFrom(peer);
    s.remove(Bytes.utf8("y"));
    Orswot<Bytes> far = Orswot.ofBytes();
    far.add(C, Bytes.utf8("q"));
    far.add(C, Bytes.utf8("q"));
    s.mergeFrom(far.add(C, Bytes.of((byte) 0x00, (byte) 0xff))); // only c:3 arrives: a cloud dot
    states.put("orswot", s);

    states.put("lww-empty", LwwRegister.ofBytes());
    LwwRegister<Bytes> value = LwwRegister.ofBytes();
    value.set(B, 0x0001_8f3a_2b1c_0004L, Bytes.utf8("hello"));
    states.put("lww-value", value);
    LwwRegister<Bytes> tombstone = LwwRegister.ofBytes();
    tombstone.set(A, 41, Bytes.utf8("gone"));
    tombstone.delete(A, 42);
    states.put("lww-tombstone", tombstone);
    return states;
  }
}
