package dev.meld.antientropy;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key space whose keys all share one key hash, as an adversary who found XXH3-64 collisions
 * would make them: the same store order and digests as {@link InMemoryKeyspace}, with the hash
 * fixed. Merge keeps the longer state.
 */
final class CollidingKeyspace implements KeyspaceView {

  private final long hash;
  private final TreeMap<byte[], byte[]> records = new TreeMap<>(Arrays::compareUnsigned);
  private final DigestTree tree = new DigestTree(4, 4);

  CollidingKeyspace(long hash) {
    this.hash = hash;
  }

  void merge(byte[] key, byte[] state) {
    byte[] old = records.get(key);
    if (old != null && old.length >= state.length) {
      return;
    }
    records.put(key.clone(), state.clone());
    tree.update(
        hash,
        old == null ? Digest.ZERO : KeyHashing.recordDigest(key, old),
        KeyHashing.recordDigest(key, state));
  }

  Map<byte[], byte[]> contents() {
    return records;
  }

  @Override
  public long keyCount() {
    return records.size();
  }

  @Override
  public DigestTree digests() {
    return tree;
  }

  @Override
  public void entries(long fromHash, long toHash, EntryVisitor visitor) {
    if (Long.compareUnsigned(fromHash, hash) > 0 || Long.compareUnsigned(hash, toHash) > 0) {
      return;
    }
    for (Map.Entry<byte[], byte[]> e : records.entrySet()) {
      if (!visitor.visit(e.getKey(), hash, KeyHashing.recordDigest(e.getKey(), e.getValue()))) {
        return;
      }
    }
  }

  @Override
  public byte[] read(byte[] key) {
    byte[] state = records.get(key);
    return state == null ? null : state.clone();
  }
}
