package dev.meld.antientropy;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.quicktheories.core.Gen;

/**
 * Two replicas' key spaces with overlapping content: {@code shared} identical keys, keys only one
 * side holds, and {@code conflicting} keys both hold with different content. Keys are random bytes
 * (the empty key included) and states random byte sets merged by union.
 */
record Scenario(int shared, int onlyA, int onlyB, int conflicting, int maxKeyLength, long seed) {

  /** Both sides, and what both must hold once repaired: the merge of everything. */
  record Pair(InMemoryKeyspace a, InMemoryKeyspace b, List<SyncRecord> expected) {}

  static Gen<Scenario> upTo(int keys) {
    Gen<Integer> any = integers().between(0, keys);
    Gen<Integer> some = integers().between(0, Math.max(1, keys / 4));
    return any.zip(some, some, some, (s, a, b, c) -> new int[] {s, a, b, c})
        .zip(
            integers().between(0, 24),
            longs().all(),
            (n, len, seed) -> new Scenario(n[0], n[1], n[2], n[3], len, seed));
  }

  int differing() {
    return onlyA + onlyB + conflicting;
  }

  Pair build() {
    SplittableRandom random = new SplittableRandom(seed);
    InMemoryKeyspace a = new InMemoryKeyspace(ByteSetLattice::merge);
    InMemoryKeyspace b = new InMemoryKeyspace(ByteSetLattice::merge);
    InMemoryKeyspace union = new InMemoryKeyspace(ByteSetLattice::merge);
    Set<ByteBuffer> used = new HashSet<>();
    for (int i = 0; i < shared + onlyA + onlyB + conflicting; i++) {
      byte[] key = freshKey(random, used);
      byte[] state = ByteSetLattice.random(random, 6);
      if (i < shared) {
        a.merge(key, state);
        b.merge(key, state);
      } else if (i < shared + onlyA) {
        a.merge(key, state);
      } else if (i < shared + onlyA + onlyB) {
        b.merge(key, state);
      } else {
        byte[] other = ByteSetLattice.random(random, 6);
        a.merge(key, state);
        b.merge(key, other);
        union.merge(key, other);
      }
      union.merge(key, state);
    }
    return new Pair(a, b, union.records());
  }

  /** A key not used yet; short key spaces fill up, so lengths grow with failed attempts. */
  private byte[] freshKey(SplittableRandom random, Set<ByteBuffer> used) {
    for (int attempt = 0; ; attempt++) {
      byte[] key = Messages.bytes(random, random.nextInt(maxKeyLength + 1 + attempt));
      if (used.add(ByteBuffer.wrap(key))) {
        return key;
      }
    }
  }
}
