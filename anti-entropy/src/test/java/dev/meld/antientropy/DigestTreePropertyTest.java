package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Laws of incremental digest maintenance. */
class DigestTreePropertyTest {

  /** One step: 0 = write a new digest, 1 = remove, 2 = read a random segment's digest. */
  record Op(int kind, int key, long value) {}

  private static final int KEYS = 64;

  private static Gen<List<Op>> ops() {
    Gen<Op> op =
        integers().between(0, 2).zip(integers().between(0, KEYS - 1), longs().all(), Op::new);
    return lists().of(op).ofSizeBetween(0, Props.scale(200, 1000));
  }

  /**
   * Law: for any sequence of writes and removes with reads interleaved (so lazily cleaned interior
   * nodes are re-dirtied), every segment digest at every level equals the sum of the record digests
   * in it, and the whole tree equals one rebuilt from scratch.
   */
  @Test
  void incrementalMaintenanceEqualsRebuildFromScratch() {
    Gen<int[]> shape =
        integers().between(0, 9).zip(integers().between(1, 8), (l, f) -> new int[] {l, f});
    Props.forAll(
        shape.zip(ops(), longs().all(), (s, o, seed) -> new Object[] {s, o, seed}),
        input -> {
          int[] s = (int[]) input[0];
          @SuppressWarnings("unchecked")
          List<Op> steps = (List<Op>) input[1];
          long[] hashes = new SplittableRandom((Long) input[2]).longs(KEYS).toArray();
          DigestTree tree = new DigestTree(s[0], s[1]);
          Map<Long, Digest> model = new HashMap<>();
          for (Op op : steps) {
            long hash = hashes[op.key()];
            Digest before = model.getOrDefault(hash, Digest.ZERO);
            if (op.kind() == 0) {
              Digest after = new Digest(op.value(), ~op.value());
              tree.update(hash, before, after);
              model.put(hash, after);
            } else if (op.kind() == 1) {
              tree.update(hash, before, Digest.ZERO);
              model.remove(hash);
            } else {
              Segment segment = Segment.of(op.value(), Math.floorMod(op.key(), s[0] + 1));
              assertThat(tree.digest(segment)).isEqualTo(naiveSum(model, segment));
            }
          }
          DigestTree rebuilt = new DigestTree(s[0], s[1]);
          model.forEach((hash, digest) -> rebuilt.update(hash, Digest.ZERO, digest));
          assertSameTree(tree, rebuilt);
          assertThat(tree.size()).isEqualTo(model.size());
          assertThat(tree.keyHashSum())
              .isEqualTo(model.keySet().stream().mapToLong(Long::longValue).sum());
        });
  }

  /**
   * Law: an in-memory key space's tree, maintained through merges, replacing writes and removes
   * (and the resizes they trigger), equals a tree rebuilt from its final records.
   */
  @Test
  void keyspaceTreeEqualsRebuildAfterAnyWrites() {
    Props.forAll(
        Props.EXAMPLES / 4,
        ops().zip(integers().between(1, Props.scale(400, 3000)), (o, n) -> new Object[] {o, n}),
        input -> {
          @SuppressWarnings("unchecked")
          List<Op> steps = (List<Op>) input[0];
          int universe = (Integer) input[1];
          InMemoryKeyspace space = new InMemoryKeyspace(ByteSetLattice::merge);
          for (Op op : steps) {
            byte[] key = Long.toString(Math.floorMod(op.value(), universe)).getBytes();
            byte[] state = ByteSetLattice.random(new SplittableRandom(op.value()), 4);
            if (op.kind() == 0) {
              space.merge(key, state);
            } else if (op.kind() == 1) {
              space.remove(key);
            } else {
              space.put(key, state);
              space.digests().root();
            }
          }
          DigestTree rebuilt =
              new DigestTree(space.digests().leafBits(), space.digests().fanoutBits());
          for (SyncRecord r : space.records()) {
            rebuilt.update(
                KeyHashing.keyHash64(r.key()),
                Digest.ZERO,
                KeyHashing.recordDigest(r.key(), r.state()));
          }
          assertSameTree(space.digests(), rebuilt);
          assertThat(space.digests().size()).isEqualTo(space.keyCount());
        });
  }

  private static Digest naiveSum(Map<Long, Digest> model, Segment segment) {
    Digest sum = Digest.ZERO;
    for (Map.Entry<Long, Digest> e : model.entrySet()) {
      if (segment.contains(e.getKey())) {
        sum = sum.plus(e.getValue());
      }
    }
    return sum;
  }

  static void assertSameTree(DigestTree actual, DigestTree expected) {
    assertThat(actual.leafBits()).isEqualTo(expected.leafBits());
    for (int bits = 0; bits <= actual.leafBits(); bits++) {
      for (long prefix = 0; prefix < 1L << bits; prefix++) {
        Segment segment = new Segment(bits, prefix);
        assertThat(actual.digest(segment))
            .as("segment %s", segment)
            .isEqualTo(expected.digest(segment));
      }
    }
  }
}
