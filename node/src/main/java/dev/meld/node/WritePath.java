package dev.meld.node;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.KeyHashing;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.CrdtType;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.PNCounter;
import dev.meld.crdt.ReplicaId;
import dev.meld.hlc.HybridLogicalClock;
import dev.meld.node.store.Committed;
import dev.meld.node.store.Origin;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
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

  /* Why states are changed in place and encoded only at flush: a mutator on a cached state costs
   * the size of the delta, but encoding the record costs its whole size. Encoding on every write
   * made a batch of n writes to one set cost n times the set (O(n^2) for a growing set: pipelined
   * SADDs to one key stalled a node for seconds and its peers timed it out). So a write only joins
   * its delta into the state and stages the slot; flush encodes each staged record once.
   *
   * What the encoding did on every write is done otherwise:
   *  - "Changed nothing" comes from the join (Crdt.mergeFrom says whether the state changed) or,
   *    for client commands, from the command (CommandExecutor), never from comparing encodings.
   *  - The record limit is checked against a RecordSizeBound, an upper bound kept from the last
   *    exact length plus the deltas since. Only a write whose bound passes the limit encodes the
   *    record, to decide exactly; if that fits, the bound becomes exact again.
   *  - Undoing a refused write re-decodes the slot's base (its last exact encoding) and joins the
   *    deltas staged since, in order: each delta's bytes are kept until the next exact encoding.
   *    Only a refusal pays for this. */

  /** One key's record as the write path sees it: current (maybe staged) and as stored. */
  static final class Slot {
    final Bytes key;
    final byte[] keyBytes;
    final long keyHash;
    Crdt<?> state; // null: absent
    private byte[] base; // an exact encoding of an earlier (or this) state; null: absent
    private final List<byte[]> sinceBase = new ArrayList<>(0); // deltas joined after base
    private RecordSizeBound bound; // of state
    Digest storedDigest; // of the committed record; ZERO: absent
    boolean storedExists; // whether the committed record counts as an existing client key
    PiecedSet set; // non-null: the record is a set kept in pieces, and state is null
    private boolean dropPieces; // the pieces of a set or counter it held go with the next commit
    /* A counter is kept as its slots (CounterPieces): the slots the store holds are the state's
     * as of the last commit, except those named here, which changes since then may have raised;
     * each with what the store holds of it, when noted before the first change (null: not known,
     * the commit reads it). null: none. */
    private Map<ReplicaId, Committed> changedSlots;
    private boolean slotsStored; // the store holds this counter as slots under a CounterHeader
    private Digest flushedDigest; // the digest of what the batch being committed puts
    /* The counter's value, kept so that GET does not sum the slots: set by the commands that know
     * what they did to it (a count adds its amount, a reset makes it 0), forgotten on any other
     * change. */
    private long counterValue;
    private boolean counterValueKnown;
    private long countedBytes; // what this slot counts in stagedRecordBytes
    /* What the store holds of the record: read at load, then what each commit wrote. The write
     * path is the records' one writer, so the commit takes this as the record's original instead
     * of reading it again. */
    private Committed stored;
    private byte[] flushed; // what the batch being committed puts
    private boolean cached; // in the cache: flush need not put it back

    /**
     * The value of the counter this slot holds (a {@link PNCounter}).
     *
     * @throws ArithmeticException if it does not fit in a long
     */
    long counterValue() {
      if (!counterValueKnown) {
        counterValue = ((PNCounter) state).value();
        counterValueKnown = true;
      }
      return counterValue;
    }

    /** The counter's value is {@code value} after a change its command staged. */
    void counterValue(long value) {
      counterValue = value;
      counterValueKnown = true;
    }

    private void changedSlots(List<ReplicaId> replicas) {
      for (ReplicaId replica : replicas) {
        noteSlot(replica, null);
      }
    }

    /* The first note of a slot since the last commit stands: later ones come after a change. */
    private void noteSlot(ReplicaId replica, Committed stored) {
      if (changedSlots == null) {
        changedSlots = new HashMap<>();
      }
      if (!changedSlots.containsKey(replica)) {
        changedSlots.put(replica, stored);
      }
    }

    /**
     * Notes what the store holds of {@code replica}'s slot, before a change to the counter in place
     * raises it: the slot as the counter holds it now, if this is the first change to it since the
     * last commit (after that, the counter holds the batch's value, not the store's). The write
     * path is the slots' one writer, so the commit may take it instead of reading the store, as it
     * does a record's ({@link Committed}).
     */
    void beforeRaising(ReplicaId replica) {
      if (state instanceof PNCounter counter
          && slotsStored
          && (changedSlots == null || !changedSlots.containsKey(replica))) {
        noteSlot(replica, CounterPieces.stored(counter.slotsOf(replica)));
      }
    }

    /** Whether the record exists for clients: a non-empty set, or a live state. */
    boolean exists() {
      return set != null ? set.size() > 0 : state != null && RecordLattice.exists(state);
    }

    private Slot(Bytes key, byte[] keyBytes) {
      this.key = key;
      this.keyBytes = keyBytes;
      this.keyHash = KeyHashing.keyHash64(keyBytes);
    }

    /** Makes {@code encoded}, the encoding of the current state, the slot's base. */
    private void rebase(byte[] encoded) {
      base = encoded;
      sinceBase.clear();
      bound.reset(state, encoded == null ? 0 : encoded.length);
    }

    /** The encoding of the current state, if known without encoding; null otherwise. */
    private byte[] encodedIfKnown() {
      return sinceBase.isEmpty() ? base : null;
    }
  }

  /** A staged or merged record would exceed its limit; nothing changed. */
  static final class TooLarge extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final int length;
    final int limit;

    TooLarge(int length, int limit) {
      super("record length: " + length + " (expected: <= " + limit + ")");
      this.length = length;
      this.limit = limit;
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
  private final int wholeCounterSlots;
  private final SetShipmentsIn shipmentsIn = new SetShipmentsIn();
  private StoreBatch batch;
  private long persistedHlc;
  private long stagedRecordBytes;
  private long liveKeys;
  private long writes;
  private long encodings;

  /**
   * A write path over {@code store}, where counters of at most {@code wholeCounterSlots} slots are
   * written as one record (0: every counter as its slots; the node uses {@link
   * CounterPieces#WHOLE_UP_TO_SLOTS}).
   */
  WritePath(
      RecordStore store,
      StoreKeyspace view,
      RecordLattice lattice,
      ReplicationLog log,
      HybridLogicalClock hlc,
      int cacheEntries,
      long liveKeysAtOpen,
      int wholeCounterSlots,
      Consumer<Slot> onCommitted) {
    this.wholeCounterSlots = wholeCounterSlots;
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
            boolean evict = size() > cacheEntries;
            if (evict) {
              eldest.getValue().cached = false;
            }
            return evict;
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
    slot.bound = RecordSizeBound.absent();
    if (stored.isPresent() && SetHeader.is(stored.get())) {
      SetHeader header = SetHeader.decode(stored.get(), lattice.limits());
      slot.set = PiecedSet.open(store, keyBytes, header);
      slot.storedDigest = header.digest(keyBytes);
      slot.storedExists = header.count() > 0;
      slot.stored = Committed.of(stored.get());
      slot.rebase(null);
      cache(slot);
      return slot;
    }
    if (stored.isPresent() && CounterHeader.is(stored.get())) {
      loadCounter(slot, CounterHeader.decode(stored.get()));
      slot.stored = Committed.of(stored.get());
      cache(slot);
      return slot;
    }
    if (stored.isPresent()) {
      slot.state = lattice.decode(stored.get());
      slot.storedDigest = KeyHashing.recordDigest(keyBytes, stored.get());
      slot.storedExists = !ReservedKeys.isReserved(keyBytes) && RecordLattice.exists(slot.state);
    } else {
      slot.storedDigest = Digest.ZERO;
    }
    slot.stored = Committed.of(stored.orElse(null));
    slot.rebase(stored.orElse(null));
    cache(slot);
    return slot;
  }

  /** Reads a counter kept as its slots into {@code slot}: the slots, put back together. */
  private void loadCounter(Slot slot, CounterHeader header) {
    PNCounter counter = CounterPieces.read(store, slot.keyBytes);
    byte[] encoded = CrdtCodec.encode(counter);
    slot.state = counter;
    slot.slotsStored = true;
    slot.storedDigest = KeyHashing.recordDigest(slot.keyBytes, encoded);
    slot.storedExists = !ReservedKeys.isReserved(slot.keyBytes) && header.exists();
    slot.rebase(encoded);
  }

  /**
   * Stages the join of {@code delta} ({@code encodedDelta} its bytes) into {@code slot}, whose
   * state the caller has already changed in place to {@code state}: {@code state} is the slot's
   * previous state joined with the delta. Encodes nothing unless the record may exceed {@code
   * limit} bytes.
   *
   * @throws TooLarge if the record exceeds {@code limit} or the store's value limit; the slot is
   *     restored to its previous state and nothing is staged
   */
  void stage(Slot slot, Crdt<?> state, Crdt<?> delta, byte[] encodedDelta, int limit) {
    stage(
        slot,
        state,
        delta,
        encodedDelta,
        limit,
        // Only a counter the store holds as slots writes the slots a change raised; a whole one
        // (nearly every counter) is rewritten whole, and one that outgrows a record writes all.
        slot.slotsStored && delta instanceof PNCounter counter
            ? CounterPieces.replicas(counter)
            : null);
  }

  /**
   * As {@link #stage(Slot, Crdt, Crdt, byte[], int)}, where the slots of a counter the change may
   * have raised are {@code changedSlots} (null: the state is not a counter).
   */
  private void stage(
      Slot slot,
      Crdt<?> state,
      Crdt<?> delta,
      byte[] encodedDelta,
      int limit,
      List<ReplicaId> changedSlots) {
    slot.counterValueKnown = false;
    int max = Math.min(limit, store.limits().maxValueBytes());
    long after = slot.bound.bytesAfter(delta, encodedDelta.length);
    byte[] exact = null;
    if (after > max) {
      exact = encode(state); // the bound may be loose: decide on the real length
      if (exact.length > max) {
        slot.state = previous(slot);
        throw new TooLarge(exact.length, max);
      }
    }
    staged.put(slot.key, slot);
    stagedRecordBytes -= slot.countedBytes;
    slot.state = state;
    if (exact != null) {
      slot.rebase(exact);
    } else {
      slot.bound.join(delta, encodedDelta.length);
      slot.sinceBase.add(encodedDelta);
    }
    slot.countedBytes = slot.bound.bytes();
    stagedRecordBytes += slot.countedBytes;
    if (changedSlots != null && state instanceof PNCounter) {
      slot.changedSlots(changedSlots);
    }
  }

  /**
   * The slot's state before the changes made in place since it was last staged: its base joined
   * with the deltas staged since, decoded afresh; null if absent. Costs the record's size.
   */
  Crdt<?> previous(Slot slot) {
    Crdt<?> state = slot.base == null ? null : lattice.decode(slot.base);
    for (byte[] delta : slot.sinceBase) {
      state = RecordLattice.join(state, lattice.decode(delta)).state();
    }
    return state;
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
    return merge(key, state, lattice.decode(state));
  }

  /**
   * As {@link #merge(byte[], byte[])}, with {@code state} already decoded as {@code incoming}
   * (which the record may take over: the caller must not use it afterwards).
   */
  boolean merge(byte[] key, byte[] state, Crdt<?> incoming) {
    if (key.length > store.limits().maxKeyBytes()) {
      throw new IllegalArgumentException(
          "key length: " + key.length + " (expected: <= " + store.limits().maxKeyBytes() + ")");
    }
    Slot slot = load(Bytes.of(key));
    if (!ReservedKeys.isReserved(key) && (slot.set != null || incoming instanceof Orswot<?>)) {
      return mergeIntoSet(slot, state, incoming);
    }
    boolean wasCounter = slot.state instanceof PNCounter;
    // Which stored slots the join raises, asked before the join changes the counter in place.
    List<ReplicaId> raised =
        slot.slotsStored
                && slot.state instanceof PNCounter mine
                && incoming instanceof PNCounter theirs
            ? CounterPieces.raised(mine, theirs)
            : null;
    if (raised != null) {
      raised.forEach(slot::beforeRaising);
    }
    RecordLattice.Joined joined = RecordLattice.join(slot.state, incoming);
    if (!joined.changed()) {
      return false;
    }
    if (wasCounter && !(joined.state() instanceof PNCounter)) {
      dropCounterSlots(slot); // a register won
    }
    stage(slot, joined.state(), incoming, state, Integer.MAX_VALUE, raised);
    return true;
  }

  /**
   * The join for a client key where a set kept in pieces is involved: the record holds one, or
   * {@code incoming} is one. The same ordinal sum as {@link RecordLattice#join}: a counter loses to
   * a set, a set to a register.
   */
  private boolean mergeIntoSet(Slot slot, byte[] encoded, Crdt<?> incoming) {
    if (incoming instanceof Orswot<?> other) {
      @SuppressWarnings("unchecked")
      Orswot<Bytes> set = (Orswot<Bytes>) other;
      if (slot.set == null) {
        if (slot.state != null && slot.state.type().tag() > incoming.type().tag()) {
          return false; // a register wins over any set
        }
        newSet(slot);
        slot.set.mergeFrom(set);
        stageSet(slot);
        return true; // the key did not hold a set, now it does, even an empty one
      }
      if (!slot.set.mergeFrom(set)) {
        return false;
      }
      stageSet(slot);
      return true;
    }
    if (incoming.type().tag() < CrdtType.ORSWOT.tag()) {
      return false; // a counter loses to the set held
    }
    slot.set = null; // a register wins: the set's pieces go
    slot.dropPieces = true;
    stage(slot, incoming, incoming, encoded, Integer.MAX_VALUE);
    return true;
  }

  /**
   * Merges a part of a peer's set that anti-entropy shipped in parts ({@link SetSlice}): a slice
   * within its range, a commit's context only after every slice of its shipment.
   *
   * @return whether the record changed
   * @throws IllegalArgumentException if the key exceeds the store's limit; nothing changes
   */
  boolean mergePart(String peer, byte[] key, SetSlice part) {
    Slot slot = setSlot(key);
    if (slot == null) {
      return false;
    }
    boolean changed;
    if (part.commit()) {
      changed =
          slot.set != null
              && shipmentsIn.mayCommit(peer, slot.key, part)
              && slot.set.mergeContext(part.set().context());
    } else {
      boolean created = slot.set == null;
      if (created) {
        newSet(slot);
      }
      changed = slot.set.mergeSlice(part.set(), part.from(), part.to()) || created;
      shipmentsIn.sliceMerged(peer, slot.key, part);
    }
    if (changed) {
      stageSet(slot);
    }
    return changed;
  }

  /**
   * Joins the context of a peer's set if this set's members, as staged, are exactly the ones it
   * goes with ({@link SetGuard}); a key holding no set takes it only if it goes with no members
   * (the peer's set is empty over that context, and this key holds nothing that outranks a set).
   *
   * @return whether the record changed
   * @throws IllegalArgumentException if the key exceeds the store's limit; nothing changes
   */
  boolean mergeGuard(byte[] key, SetGuard guard) {
    checkKeyLength(key);
    Slot slot = load(Bytes.of(key));
    if (slot.set == null) {
      if (slot.state != null || !guard.members().isZero() || guard.set().context().isEmpty()) {
        return false;
      }
      newSet(slot);
    } else if (!slot.set.header().members().equals(guard.members())) {
      return false;
    }
    if (!slot.set.mergeContext(guard.set().context())) {
      return false;
    }
    stageSet(slot);
    return true;
  }

  /**
   * Merges a peer's members in several ranges of element hashes ({@link SetRanges}), each within
   * its bounds; the context is not joined (see {@link SetSlice}).
   *
   * @return whether the record changed
   * @throws IllegalArgumentException if the key exceeds the store's limit; nothing changes
   */
  boolean mergeRanges(byte[] key, SetRanges ranges) {
    Slot slot = setSlot(key);
    if (slot == null) {
      return false;
    }
    boolean created = slot.set == null;
    if (created) {
      newSet(slot);
    }
    boolean changed = slot.set.mergeSlices(ranges.set(), ranges.from(), ranges.to()) || created;
    if (changed) {
      stageSet(slot);
    }
    return changed;
  }

  /**
   * The slot of {@code key} for a part of a peer's set, or null if the key holds what outranks any
   * set (a register).
   *
   * @throws IllegalArgumentException if the key exceeds the store's limit
   */
  private Slot setSlot(byte[] key) {
    checkKeyLength(key);
    Slot slot = load(Bytes.of(key));
    boolean outranked =
        slot.set == null && slot.state != null && slot.state.type().tag() > CrdtType.ORSWOT.tag();
    return outranked ? null : slot;
  }

  private void checkKeyLength(byte[] key) {
    if (key.length > store.limits().maxKeyBytes()) {
      throw new IllegalArgumentException(
          "key length: " + key.length + " (expected: <= " + store.limits().maxKeyBytes() + ")");
    }
  }

  /** The counter {@code slot} held is replaced: its slots go with the next commit. */
  private static void dropCounterSlots(Slot slot) {
    slot.dropPieces = true;
    slot.changedSlots = null;
    slot.slotsStored = false;
    slot.counterValueKnown = false;
  }

  /** Makes {@code slot} hold a new empty set kept in pieces, replacing what it held. */
  void newSet(Slot slot) {
    if (slot.state instanceof PNCounter) {
      dropCounterSlots(slot); // PiecedSet.create drops them too; this forgets what was changed
    }
    slot.set = PiecedSet.create(store, slot.keyBytes);
    slot.state = null;
    slot.rebase(null);
  }

  /** Stages {@code slot}'s set, changed in place: its pieces and header go with the next flush. */
  void stageSet(Slot slot) {
    staged.put(slot.key, slot);
    stagedRecordBytes += slot.set.stagedBytes() - slot.countedBytes;
    slot.countedBytes = slot.set.stagedBytes();
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
        if (slot.set != null) {
          slot.set.writeTo(batch, slot.stored);
          slot.flushed = slot.set.writtenHeader();
          continue;
        }
        if (slot.dropPieces) {
          batch.deletePieces(slot.keyBytes);
        }
        byte[] encoded = slot.encodedIfKnown();
        if (encoded == null) {
          encoded = encode(slot.state); // the one encoding of this batch's changes
          slot.rebase(encoded);
        }
        slot.flushedDigest = KeyHashing.recordDigest(slot.keyBytes, encoded);
        slot.flushed =
            slot.state instanceof PNCounter counter && asSlots(slot, counter)
                ? stageSlots(slot, counter)
                : encoded;
        batch.put(slot.keyBytes, slot.flushed, slot.stored);
      }
      long mark = hlc.last();
      if (mark != persistedHlc) {
        batch.putMeta(HLC_META, ByteBuffer.allocate(Long.BYTES).putLong(mark).array());
      }
      store.commit(batch);
      persistedHlc = mark;
    } catch (RuntimeException e) {
      // What the store holds is unknown to the caches now: forget them, the store is the truth.
      committed.forEach(
          slot -> {
            cache.remove(slot.key);
            slot.cached = false;
          });
      committed.forEach(slot -> view.forgetMembers(slot.keyBytes));
      committed.forEach(slot -> slot.countedBytes = 0);
      committed.forEach(slot -> slot.changedSlots = null);
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
      slot.countedBytes = 0;
      boolean piecesDropped = slot.dropPieces;
      slot.dropPieces = false;
      byte[] flushed = slot.flushed;
      slot.stored = Committed.of(flushed);
      slot.flushed = null;
      Digest after;
      if (slot.set != null) {
        after = slot.set.writtenDigest();
        view.membersCommitted(slot.keyBytes, slot.set.memberChanges(), slot.set.droppedAll());
        slot.set.committed();
      } else {
        if (piecesDropped) {
          /* A set's kept member trees and symbols check themselves against its header, so this
           * frees memory, not stale answers: a key that never held a set costs nothing here. */
          view.forgetMembers(slot.keyBytes);
        }
        after = slot.flushedDigest;
        slot.slotsStored = flushed != null && CounterHeader.is(flushed);
        slot.changedSlots = null;
      }
      if (!after.equals(slot.storedDigest)) {
        writes++;
      }
      view.update(slot.keyHash, slot.storedDigest, after);
      slot.storedDigest = after;
      boolean exists = !ReservedKeys.isReserved(slot.keyBytes) && slot.exists();
      liveKeys += (exists ? 1 : 0) - (slot.storedExists ? 1 : 0);
      slot.storedExists = exists;
      if (!slot.cached) {
        cache(slot); // evicted while its batch was open; a cached one was freshened by its load
      }
    }
    view.resizeIfNeeded();
    committed.forEach(onCommitted);
    return true;
  }

  /** Whether {@code counter} is written as its slots: it is already, or it has outgrown a record. */
  private boolean asSlots(Slot slot, PNCounter counter) {
    return slot.slotsStored || counter.rows() > wholeCounterSlots;
  }

  /**
   * Stages the slots of {@code counter} that changed since the last commit (all of them if the
   * store holds it whole, as a store of format 2 did, or not at all) and returns its header.
   */
  private byte[] stageSlots(Slot slot, PNCounter counter) {
    if (!slot.slotsStored) {
      // No slot is stored: the record was absent or a whole counter (sets, which have pieces,
      // never become counters; a register never becomes anything else).
      Map<ReplicaId, Committed> all = new HashMap<>();
      CounterPieces.replicas(counter).forEach(replica -> all.put(replica, Committed.ABSENT));
      CounterPieces.write(batch, slot.keyBytes, counter, all);
    } else if (slot.changedSlots != null) {
      CounterPieces.write(batch, slot.keyBytes, counter, slot.changedSlots);
    }
    return new CounterHeader(RecordLattice.exists(counter)).encode();
  }

  /* A put into the large access-ordered cache was ~7% of a node's samples under pipelined INCRs
   * (JFR, issue 16), for slots nearly always cached already (their load freshened them): made only
   * for those that are not. */
  private void cache(Slot slot) {
    slot.cached = true;
    cache.put(slot.key, slot);
  }

  /** Client keys that exist, as committed. */
  long liveKeys() {
    return liveKeys;
  }

  /** Records encoded in full to be written or checked, since open: the write path's main cost. */
  long recordEncodings() {
    return encodings;
  }

  private byte[] encode(Crdt<?> state) {
    encodings++;
    return CrdtCodec.encode(state);
  }

  /** Records whose committed content changed, since open. */
  long recordWrites() {
    return writes;
  }
}
