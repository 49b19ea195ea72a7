package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestTreeTest {

  /** A hundred keys must not mean a 65,536-leaf tree; a million must not mean a million leaves. */
  @Test
  void leafLevelFollowsTheKeyCount() {
    assertThat(DigestTree.leafBitsFor(0)).isZero();
    assertThat(DigestTree.leafBitsFor(16)).isZero();
    assertThat(DigestTree.leafBitsFor(100)).isEqualTo(3);
    assertThat(DigestTree.leafBitsFor(1_000_000)).isEqualTo(16);
    assertThat(DigestTree.leafBitsFor(Long.MAX_VALUE)).isEqualTo(DigestTree.MAX_LEAF_BITS);
  }

  @Test
  void keyspaceResizesItsTreeAsItGrowsAndShrinks() {
    InMemoryKeyspace space = new InMemoryKeyspace(ByteSetLattice::merge);
    for (int i = 0; i < 10_000; i++) {
      space.merge(("k" + i).getBytes(), new byte[] {1});
    }
    assertThat(space.digests().leafBits()).isBetween(9, 11);
    Digest root = space.digests().root();
    for (int i = 100; i < 10_000; i++) {
      space.remove(("k" + i).getBytes());
    }
    assertThat(space.digests().leafBits()).isBetween(2, 4);
    for (int i = 100; i < 10_000; i++) {
      space.merge(("k" + i).getBytes(), new byte[] {1});
    }
    assertThat(space.digests().root()).isEqualTo(root);
  }

  @Test
  void levelsBetweenStoredOnesFoldFromFinerOnes() {
    DigestTree tree = new DigestTree(10, 4);
    tree.update(0x0123456789abcdefL, Digest.ZERO, new Digest(0, 5));
    tree.update(0x0fffffffffffffffL, Digest.ZERO, new Digest(0, 7));
    // stored levels: 0, 2, 6, 10
    assertThat(tree.digest(new Segment(1, 0))).isEqualTo(new Digest(0, 12));
    assertThat(tree.digest(new Segment(3, 0))).isEqualTo(new Digest(0, 12));
    assertThat(tree.digest(new Segment(5, 0))).isEqualTo(new Digest(0, 5));
    assertThat(tree.digest(new Segment(6, 3))).isEqualTo(new Digest(0, 7));
    assertThat(tree.digest(new Segment(8, 0x01))).isEqualTo(new Digest(0, 5));
    assertThat(tree.root()).isEqualTo(new Digest(0, 12));
    assertThat(tree.size()).isEqualTo(2);
  }

  @Test
  void badArgumentsSayWhatWasExpected() {
    assertThatThrownBy(() -> new DigestTree(23, 4)).hasMessage("leafBits: 23 (expected: 0..22)");
    assertThatThrownBy(() -> new DigestTree(8, 0)).hasMessage("fanoutBits: 0 (expected: 1..8)");
    assertThatThrownBy(() -> new DigestTree(8, 4).digest(new Segment(9, 0)))
        .hasMessage("segment bits: 9 (expected: <= leafBits 8)");
    assertThatThrownBy(() -> DigestTree.leafBitsFor(-1))
        .hasMessage("keyCount: -1 (expected: >= 0)");
  }
}
