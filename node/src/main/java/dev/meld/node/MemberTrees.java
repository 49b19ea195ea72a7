package dev.meld.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.meld.antientropy.Digest;
import dev.meld.antientropy.DigestTree;
import dev.meld.crdt.Bytes;
import dev.meld.node.store.RecordStore;
import java.util.List;

/**
 * Digest trees over the members of large sets, for anti-entropy's member-by-member comparison
 * ({@link SetMembersView}): built by one scan of a set's member pieces the first time a session
 * compares it, then kept current by the write path, one update per member changed, so a hot set
 * is not rescanned every round. Bounded by memory; a tree evicted is rebuilt when needed.
 */
final class MemberTrees {

  /** Sets with fewer members are compared by scanning their pieces: no tree is worth keeping. */
  static final long MIN_MEMBERS = 4096;

  /** Leaves of one tree, at most: 2^16 x 16 bytes, with its upper levels about 1.1 MiB. */
  static final int MAX_LEAF_BITS = 16;

  private final int fanoutBits;
  private final Cache<Bytes, DigestTree> trees;

  /** A change of one member's digest ({@link Digest#ZERO}: absent), by 64-bit member hash. */
  record Change(long memberHash, Digest before, Digest after) {}

  MemberTrees(int fanoutBits, long maxBytes) {
    this.fanoutBits = fanoutBits;
    this.trees =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((Bytes key, DigestTree tree) -> (int) Math.min(Integer.MAX_VALUE, bytes(tree)))
            .build();
  }

  /**
   * The tree over the members of the set {@code header} describes: cached if its root still sums
   * to the header's members, else built from a scan (and cached, for a set worth it). A small set
   * gets an empty tree with no levels, so every digest is computed from its pieces.
   */
  DigestTree treeFor(RecordStore store, byte[] key, SetHeader header) {
    if (header.count() < MIN_MEMBERS) {
      return new DigestTree(0, fanoutBits);
    }
    Bytes ref = Bytes.of(key);
    DigestTree tree = trees.getIfPresent(ref);
    if (tree != null && tree.root().equals(header.members())) {
      return tree;
    }
    DigestTree built =
        new DigestTree(
            Math.min(DigestTree.leafBitsFor(header.count()), MAX_LEAF_BITS), fanoutBits);
    SetMembersView.scan(
        store,
        key,
        0,
        -1L,
        (piece, hash, digest) -> {
          built.update(hash, Digest.ZERO, digest);
          return true;
        });
    trees.put(ref, built);
    return built;
  }

  /**
   * A batch committed these member changes of {@code key}'s set; {@code dropped}: every member
   * before them was removed at once.
   */
  void committed(byte[] key, List<Change> changes, boolean dropped) {
    Bytes ref = Bytes.of(key);
    DigestTree tree = trees.getIfPresent(ref);
    if (tree == null) {
      return;
    }
    if (dropped) {
      trees.invalidate(ref);
      return;
    }
    for (Change change : changes) {
      tree.update(change.memberHash(), change.before(), change.after());
    }
  }

  /** {@code key} no longer holds a set, or what it holds is unknown. */
  void forget(byte[] key) {
    trees.invalidate(Bytes.of(key));
  }

  private static long bytes(DigestTree tree) {
    return 40L << tree.leafBits();
  }
}
