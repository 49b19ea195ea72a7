package dev.meld.node;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.hlc.HybridLogicalClock;
import dev.meld.node.store.Origin;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Read, merge, write: every change to a record goes through here, whether a client command, a
 * replicated entry or an anti-entropy repair. Changes are staged into one open {@link StoreBatch}
 * together with log entries, cursors and the clock's high-water mark, and {@link #flush} commits
 * them atomically; only then do the digest tree, the key count and the caches move.
 *
 * <p>Records are cached decoded (the store stays the truth: the cache is rebuilt from it after a
 * restart or a failed commit). A staged record shadows the cache and the store until its batch
 * commits, so several commands on one key in one group commit see each other.
 */
final class WritePath {

  /** The meta name of the hybrid logical clock's persisted high-water mark. */
  static final String HLC_META = "meld.hlc";

  /* Why states are changed in place and then re-encoded: a mutator on a cached state costs the
   * size of the delta, and encoding the result is needed anyway (the store holds full states).
   * Comparing the new encoding with the old one is how "changed nothing" is decided, so a no-op
   * (removing an absent element, merging a delta already seen) writes and replicates nothing. If a
   * staged change must be undone (a limit check fails after the mutation), the slot is re-decoded
   * from its last encoding, which always matches what was staged or stored before. */

  /** One key's record as the write path sees it: current (maybe staged) and as stored. */
  static final class Slot {
    final Bytes key;
    final byte[] keyBytes;
    final long keyHash;
    Crdt<?> state; // null: absent
    byte[] encoded; // encoding of state; null: absent
    Digest storedDigest; // of the committed record; ZERO: absent
    boolean storedExists; // whether the committed record counts as an existing client key

    private Slot(Bytes key, byte[] keyBytes) {
      this.key = key;
      this.keyBytes = keyBytes;
      this.keyHash = KeyHashing.keyHash64(keyBytes);
    }
  }

  private final RecordStore store;
  private final StoreKeyspace view;
  private final RecordLattice lattice;
  private final ReplicationLog log;
  private final HybridLogicalClock hlc;
  private final Consumer<Slot> onCommitted;
  private final Map<Bytes, Slot> cache;
  private final Map<Bytes, Slot> staged = new LinkedHashMap<>();
  private StoreBatch batch;
  private long persistedHlc;
  private long stagedRecordBytes;
  private long liveKeys;
  private long writes;

  WritePath(
      RecordStore store,
      StoreKeyspace view,
      RecordLattice lattice,
      ReplicationLog log,
      HybridLogicalClock hlc,
      int cacheEntries,
      long liveKeysAtOpen,
      Consumer<Slot> onCommitted) {
    this.store = store;
    this.view = view;
    this.lattice = lattice;
    this.log = log;
    this.hlc = hlc;
    this.onCommitted = onCommitted;
    this.liveKeys = liveKeysAtOpen;
    this.persistedHlc = readHlcMark(store);
    this.batch = store.newBatch();
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Bytes, Slot> eldest) {
            return size() > cacheEntries;
          }
        };
  }

  /** The clock's high-water mark persisted in {@code store}, 0 if none. */
  static long readHlcMark(RecordStore store) {
    Optional<byte[]> mark = store.meta(HLC_META);
    if (mark.isEmpty()) {
      return 0;
    }
    if (mark.get().length != Long.BYTES) {
      throw new IllegalStateException(
          "meta " + HLC_META + " length: " + mark.get().length + " (expected: 8)");
    }
    return ByteBuffer.wrap(mark.get()).getLong();
  }

  /** The record of {@code key}: staged, cached or read from the store (and cached). */
  Slot load(Bytes key) {
    Slot slot = staged.get(key);
    if (slot != null) {
      return slot;
    }
    slot = cache.get(key);
    if (slot != null) {
      return slot;
    }
    byte[] keyBytes = key.toByteArray();
    slot = new Slot(key, keyBytes);
    Optional<byte[]> stored = store.get(keyBytes);
    if (stored.isPresent()) {
      slot.encoded = stored.get();
      slot.state = lattice.decode(slot.encoded);
      slot.storedDigest = KeyHashing.recordDigest(keyBytes, slot.encoded);
      slot.storedExists = !ReservedKeys.isReserved(keyBytes) && RecordLattice.exists(slot.state);
    } else {
      slot.storedDigest = Digest.ZERO;
    }
    cache.put(key, slot);
    return slot;
  }

  /**
   * Stages {@code state} (encoded as {@code encoded}) as the record of {@code slot}.
   *
   * @throws IllegalArgumentException if the record exceeds the store's value limit; the slot is
   *     restored to its previous content
   */
  void stage(Slot slot, Crdt<?> state, byte[] encoded) {
    if (encoded.length > store.limits().maxValueBytes()) {
      restore(slot);
      throw new IllegalArgumentException(
          "record length: "
              + encoded.length
              + " (expected: <= "
              + store.limits().maxValueBytes()
              + ")");
    }
    if (staged.put(slot.key, slot) != null) {
      stagedRecordBytes -= slot.encoded.length;
    }
    slot.state = state;
    slot.encoded = encoded;
    stagedRecordBytes += encoded.length;
  }

  /** Undoes an unstaged in-place change to {@code slot}'s state. */
  void restore(Slot slot) {
    slot.state = previous(slot);
  }

  /** The slot's state as last staged or stored, decoded afresh; null if absent. */
  Crdt<?> previous(Slot slot) {
    return slot.encoded == null ? null : lattice.decode(slot.encoded);
  }

  /**
   * Merges a peer's state or delta into the record of {@code key} (no log entry).
   *
   * @return whether the record changed
   * @throws dev.meld.crdt.CrdtDecodeException if {@code state} is not a record; nothing changes
   * @throws IllegalArgumentException if the key or the merged record exceed the store's limits;
   *     nothing changes
   */
  boolean merge(byte[] key, byte[] state) {
    if (key.length > store.limits().maxKeyBytes()) {
      throw new IllegalArgumentException(
          "key length: " + key.length + " (expected: <= " + store.limits().maxKeyBytes() + ")");
    }
    Crdt<?> incoming = lattice.decode(state);
    Slot slot = load(Bytes.of(key));
    RecordLattice.Joined joined = RecordLattice.join(slot.state, incoming);
    if (!joined.changed()) {
      return false;
    }
    stage(slot, joined.state(), CrdtCodec.encode(joined.state()));
    return true;
  }

  /** Stages the next entry of {@code origin}'s log (normally this node's) for a local write. */
  long appendLog(Origin origin, Slot slot, byte[] delta) {
    return log.append(batch, origin, LogPayload.encode(slot.keyBytes, delta));
  }

  RecordLattice lattice() {
    return lattice;
  }

  /** The open batch, for cursors and meta values that commit with the staged records. */
  StoreBatch batch() {
    return batch;
  }

  /** Whether anything is staged. */
  boolean hasPending() {
    return !staged.isEmpty() || !batch.isEmpty();
  }

  /** Bytes staged so far, so callers can flush before a batch grows past the store's limit. */
  long pendingBytes() {
    return batch.bytes() + stagedRecordBytes;
  }

  /**
   * Commits everything staged in one atomic batch, with the clock's high-water mark, then updates
   * the digest tree, the key count and the cache.
   *
   * @return whether anything was committed
   */
  boolean flush(long nowMillis) {
    if (staged.isEmpty() && batch.isEmpty()) {
      return false;
    }
    List<Slot> committed = new ArrayList<>(staged.values());
    try {
      for (Slot slot : committed) {
        batch.put(slot.keyBytes, slot.encoded);
      }
      long mark = hlc.last();
      if (mark != persistedHlc) {
        batch.putMeta(HLC_META, ByteBuffer.allocate(Long.BYTES).putLong(mark).array());
      }
      store.commit(batch);
      persistedHlc = mark;
    } catch (RuntimeException e) {
      // What the store holds is unknown to the caches now: forget them, the store is the truth.
      committed.forEach(slot -> cache.remove(slot.key));
      staged.clear();
      stagedRecordBytes = 0;
      batch = store.newBatch();
      log.rolledBack();
      throw e;
    }
    batch = store.newBatch();
    staged.clear();
    stagedRecordBytes = 0;
    log.committed(nowMillis);
    for (Slot slot : committed) {
      Digest after = KeyHashing.recordDigest(slot.keyBytes, slot.encoded);
      if (!after.equals(slot.storedDigest)) {
        writes++;
      }
      view.update(slot.keyHash, slot.storedDigest, after);
      slot.storedDigest = after;
      boolean exists = !ReservedKeys.isReserved(slot.keyBytes) && RecordLattice.exists(slot.state);
      liveKeys += (exists ? 1 : 0) - (slot.storedExists ? 1 : 0);
      slot.storedExists = exists;
      cache.put(slot.key, slot);
    }
    view.resizeIfNeeded();
    committed.forEach(onCommitted);
    return true;
  }

  /** Client keys that exist, as committed. */
  long liveKeys() {
    return liveKeys;
  }

  /** Records whose committed content changed, since open. */
  long recordWrites() {
    return writes;
  }

  /** Whether {@code a} and {@code b} hold the same bytes (either may be null). */
  static boolean same(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }
}
