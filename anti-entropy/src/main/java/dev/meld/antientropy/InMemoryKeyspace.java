package dev.meld.antientropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.ToLongFunction;

/**
 * A key space held in memory, sorted by {@code (keyHash64 unsigned, key)}, whose records merge with
 * a supplied function and whose {@link DigestTree} is maintained on every write. Used by tests and
 * by the simulator; a node keeps the same order in its record store.
 *
 * <p>The merge function must be a join (commutative, associative, idempotent) over canonical
 * encodings, and must not modify its arguments. Stored arrays are never exposed: writes copy their
 * inputs and reads return copies.
 *
 * <p>Not thread-safe.
 */
public final class InMemoryKeyspace implements KeyspaceView {

  private final BinaryOperator<byte[]> mergeFunction;
  private final int fanoutBits;
  private final ToLongFunction<byte[]> keyHash;
  private final TreeMap<Position, Stored> records;
  private DigestTree tree;

  /** An empty key space merging with {@code mergeFunction}, default fan-out. */
  public InMemoryKeyspace(BinaryOperator<byte[]> mergeFunction) {
    this(mergeFunction, DigestTree.DEFAULT_FANOUT_BITS);
  }

  /**
   * An empty key space merging with {@code mergeFunction}, storing a tree level every {@code
   * fanoutBits}.
   */
  public InMemoryKeyspace(BinaryOperator<byte[]> mergeFunction, int fanoutBits) {
    this(mergeFunction, fanoutBits, KeyHashing::keyHash64, new TreeMap<>());
  }

  /**
   * A key space that places keys by {@code keyHash} instead of {@link KeyHashing#keyHash64}: for
   * tests that need keys to collide, as only an adversary could make them collide for real.
   */
  static InMemoryKeyspace withKeyHash(
      BinaryOperator<byte[]> mergeFunction, ToLongFunction<byte[]> keyHash) {
    return new InMemoryKeyspace(
        mergeFunction, DigestTree.DEFAULT_FANOUT_BITS, keyHash, new TreeMap<>());
  }

  private InMemoryKeyspace(
      BinaryOperator<byte[]> mergeFunction,
      int fanoutBits,
      ToLongFunction<byte[]> keyHash,
      TreeMap<Position, Stored> records) {
    this.mergeFunction = Objects.requireNonNull(mergeFunction, "mergeFunction");
    this.fanoutBits = fanoutBits;
    this.keyHash = keyHash;
    this.records = records;
    this.tree = new DigestTree(DigestTree.leafBitsFor(records.size()), fanoutBits);
    records.forEach((position, stored) -> tree.update(position.hash, Digest.ZERO, stored.digest));
  }

  /** An independent copy holding the same records (immutable record data is shared). */
  public InMemoryKeyspace copy() {
    return new InMemoryKeyspace(mergeFunction, fanoutBits, keyHash, new TreeMap<>(records));
  }

  /**
   * Merges {@code state} into the record for {@code key} (or stores it if the key is new).
   *
   * @return whether the stored state changed
   */
  public boolean merge(byte[] key, byte[] state) {
    Position position = new Position(keyHash.applyAsLong(key), key.clone());
    Stored old = records.get(position);
    byte[] merged = old == null ? state.clone() : mergeFunction.apply(old.state, state.clone());
    if (old != null && Arrays.equals(merged, old.state)) {
      return false;
    }
    store(position, old, merged);
    return true;
  }

  /**
   * Replaces the record for {@code key} without merging, as a replica restored from an old backup
   * or a corrupted replica would. Anti-entropy then repairs it like any other difference.
   */
  public void put(byte[] key, byte[] state) {
    Position position = new Position(keyHash.applyAsLong(key), key.clone());
    store(position, records.get(position), state.clone());
  }

  /**
   * Removes {@code key}.
   *
   * @return whether it was present
   */
  public boolean remove(byte[] key) {
    Stored old = records.remove(new Position(keyHash.applyAsLong(key), key));
    if (old == null) {
      return false;
    }
    tree.update(keyHash.applyAsLong(key), old.digest, Digest.ZERO);
    resizeIfNeeded();
    return true;
  }

  private void store(Position position, Stored old, byte[] state) {
    Stored now = new Stored(state, KeyHashing.recordDigest(position.key, state));
    records.put(position, now);
    tree.update(position.hash, old == null ? Digest.ZERO : old.digest, now.digest);
    if (old == null) {
      resizeIfNeeded();
    }
  }

  private void resizeIfNeeded() {
    if (!tree.suits(records.size())) {
      DigestTree resized = new DigestTree(DigestTree.leafBitsFor(records.size()), fanoutBits);
      records.forEach((p, s) -> resized.update(p.hash, Digest.ZERO, s.digest));
      tree = resized;
    }
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
    if (Long.compareUnsigned(fromHash, toHash) > 0) {
      return;
    }
    Position from = new Position(fromHash, Position.NO_KEY);
    NavigableMap<Position, Stored> range =
        toHash == -1L
            ? records.tailMap(from, true)
            : records.subMap(from, true, new Position(toHash + 1, Position.NO_KEY), false);
    for (Map.Entry<Position, Stored> e : range.entrySet()) {
      if (!visitor.visit(e.getKey().key, e.getKey().hash, e.getValue().digest)) {
        return;
      }
    }
  }

  @Override
  public byte[] read(byte[] key) {
    Stored stored = records.get(new Position(keyHash.applyAsLong(key), key));
    return stored == null ? null : stored.state.clone();
  }

  /** Every record, in {@code (keyHash64, key)} order, as copies. */
  public List<SyncRecord> records() {
    List<SyncRecord> out = new ArrayList<>(records.size());
    records.forEach((p, s) -> out.add(new SyncRecord(p.key.clone(), s.state.clone())));
    return out;
  }

  /** A record's place in the store order; {@code key} is never modified. */
  private record Position(long hash, byte[] key) implements Comparable<Position> {
    static final byte[] NO_KEY = new byte[0];

    @Override
    public int compareTo(Position o) {
      int byHash = Long.compareUnsigned(hash, o.hash);
      return byHash != 0 ? byHash : Arrays.compareUnsigned(key, o.key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Position p && hash == p.hash && Arrays.equals(key, p.key);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(hash) * 31 + Arrays.hashCode(key);
    }
  }

  private record Stored(byte[] state, Digest digest) {}
}
