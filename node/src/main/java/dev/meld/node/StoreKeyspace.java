package dev.meld.node;

import dev.meld.antientropy.Digest;
import dev.meld.antientropy.DigestTree;
import dev.meld.antientropy.KeyHashing;
import dev.meld.antientropy.KeyspaceView;
import dev.meld.antientropy.MemberView;
import dev.meld.crdt.CrdtCodec;
import dev.meld.crdt.DecodeLimits;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.RecordVisitor;

/**
 * The replica's records as anti-entropy sees them: listings and reads go to the {@link RecordStore}
 * (ordered by {@code keyHash64}, so a segment is one range scan), and the digest tree lives in
 * memory, rebuilt from a scan at open and updated by the write path after every commit. The store
 * must have been opened with {@link KeyHashing#keyHash64} as its key hash.
 */
final class StoreKeyspace implements KeyspaceView {

  private final RecordStore store;
  private final int fanoutBits;
  private final DecodeLimits limits;
  private final int maxShippedBytes;
  private DigestTree tree;
  private long shipments;

  /** Memory kept for the digest trees of large sets' members ({@link MemberTrees}). */
  private static final long MEMBER_TREE_BYTES = 64L << 20;

  private final MemberTrees memberTrees;

  /**
   * Memory kept for the coded symbols of large sets' members ({@link MemberSymbols}): 80 KiB a set
   * at 4,096 symbols, so about 400 sets.
   */
  private static final long MEMBER_SYMBOL_BYTES = 32L << 20;

  private final MemberSymbols memberSymbols = new MemberSymbols(MEMBER_SYMBOL_BYTES);
  private final MemberClaims memberClaims = new MemberClaims();
  private final ShipmentsOut shipmentsOut = new ShipmentsOut();

  /**
   * Sets with more members than this many bytes each would fill one message are not put together
   * whole to be shipped: typical members take 20-40 bytes, so a larger set goes in parts at once.
   */
  private static final int WHOLE_MEMBER_BYTES = 32;

  /**
   * Builds the tree from a scan of every record; {@code alsoVisit} sees each record on the way (so
   * the caller counts what it needs in the same pass).
   */
  StoreKeyspace(
      RecordStore store,
      int fanoutBits,
      DecodeLimits limits,
      int maxShippedBytes,
      RecordVisitor alsoVisit) {
    this.store = store;
    this.fanoutBits = fanoutBits;
    this.limits = limits;
    this.maxShippedBytes = maxShippedBytes;
    this.memberTrees = new MemberTrees(fanoutBits, MEMBER_TREE_BYTES);
    this.tree = scan(alsoVisit);
  }

  private DigestTree scan(RecordVisitor alsoVisit) {
    DigestTree built = new DigestTree(DigestTree.leafBitsFor(store.keyCount()), fanoutBits);
    store.scan(
        0,
        -1,
        (hash, key, value) -> {
          if (hash != KeyHashing.keyHash64(key)) {
            throw new IllegalArgumentException(
                String.format(
                    "store key hash of a record: %016x (expected: KeyHashing.keyHash64 = %016x;"
                        + " open the store with KeyHashing::keyHash64)",
                    hash, KeyHashing.keyHash64(key)));
          }
          built.update(hash, Digest.ZERO, digest(key, value));
          return alsoVisit.visit(hash, key, value);
        });
    return built;
  }

  /** A committed record changed from {@code before} to {@code after} ({@code ZERO}: absent). */
  void update(long keyHash, Digest before, Digest after) {
    tree.update(keyHash, before, after);
  }

  /**
   * Rebuilds the tree at another leaf level if the key count has drifted from the one it suits.
   * Call after a commit's updates, never between them: the rebuild reads the store as committed.
   */
  void resizeIfNeeded() {
    if (!tree.suits(tree.size())) {
      tree = scan((hash, key, value) -> true);
    }
  }

  @Override
  public long keyCount() {
    return tree.size();
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
    store.scan(
        fromHash,
        toHash,
        (hash, key, value) -> visitor.visit(key, hash, digest(key, value)));
  }

  /**
   * A record's digest: of its bytes; for a counter kept as its slots, of its canonical encoding,
   * put together from the slots (costs its slots); for a set kept in pieces, as its header sums it.
   */
  private Digest digest(byte[] key, byte[] value) {
    if (CounterHeader.is(value)) {
      return KeyHashing.recordDigest(key, CrdtCodec.encode(CounterPieces.read(store, key)));
    }
    return SetHeader.is(value)
        ? SetHeader.decode(value, limits).digest(key)
        : KeyHashing.recordDigest(key, value);
  }

  /**
   * The record's whole canonical state. A counter kept as its slots is put back together, and so is
   * a set kept in pieces, unless it has too many members to fit in one sync message: then null,
   * and the session asks for {@link #parts}.
   */
  @Override
  public byte[] read(byte[] key) {
    byte[] value = store.get(key).orElse(null);
    if (value != null && CounterHeader.is(value)) {
      return CrdtCodec.encode(CounterPieces.read(store, key));
    }
    if (value == null || !SetHeader.is(value)) {
      return value;
    }
    SetHeader header = SetHeader.decode(value, limits);
    if (header.count() > maxShippedBytes / WHOLE_MEMBER_BYTES) {
      return null; // shipped in parts, without putting it together first
    }
    return CrdtCodec.encode(PiecedSet.open(store, key, header).materialize());
  }

  /** A set's members, compared one by one when the set is too large to ship whole. */
  @Override
  public MemberView members(byte[] key) {
    byte[] value = store.get(key).orElse(null);
    if (value == null || !SetHeader.is(value)) {
      return null;
    }
    SetHeader header = SetHeader.decode(value, limits);
    return new SetMembersView(
        store,
        key,
        header,
        limits,
        memberTrees.treeFor(store, key, header),
        size -> memberSymbols.symbolsFor(store, key, header, size),
        nextShipment());
  }

  /** The committed member changes of {@code key}'s set, for its member tree if one is kept. */
  void membersCommitted(byte[] key, java.util.List<MemberTrees.Change> changes, boolean dropped) {
    memberTrees.committed(key, changes, dropped);
    memberSymbols.committed(key, changes, dropped);
  }

  /** {@code key} no longer holds a set, or what it holds is unknown. */
  void forgetMembers(byte[] key) {
    memberTrees.forget(key);
    memberSymbols.forget(key);
  }

  private long nextShipment() {
    return (store.session() << 32) | (++shipments & 0xFFFF_FFFFL);
  }

  /** A set too large for one message ships as slices and a commit ({@link SetShipment}). */
  @Override
  public RecordParts parts(byte[] key, int maxPartBytes) {
    byte[] value = store.get(key).orElse(null);
    if (value == null || !SetHeader.is(value)) {
      return null;
    }
    return SetShipment.start(
        store, key, SetHeader.decode(value, limits), limits, maxPartBytes, nextShipment());
  }

  /** This keyspace as a session with {@code peer} sees it ({@link SessionKeyspace}). */
  SessionKeyspace toward(String peer) {
    return new SessionKeyspace(this, peer);
  }

  /**
   * {@link #parts} for {@code session}, a session with {@code peer}: a shipment to that peer cut
   * short by an ended session goes on where it was ({@link ShipmentsOut}).
   */
  RecordParts parts(byte[] key, int maxPartBytes, String peer, Object session) {
    SetShipment resumed = shipmentsOut.resume(peer, key, maxPartBytes, session);
    if (resumed != null) {
      return resumed;
    }
    RecordParts parts = parts(key, maxPartBytes);
    if (parts instanceof SetShipment shipment && shipment.whole()) {
      shipmentsOut.keep(peer, key, shipment, session);
    }
    return parts;
  }

  /** {@code session} ended: the shipments it drew from may be resumed by another. */
  void sessionEnded(Object session) {
    shipmentsOut.release(session);
    memberClaims.release(session);
  }

  /** The coded symbols kept for large sets (tests). */
  MemberSymbols memberSymbols() {
    return memberSymbols;
  }

  /** Whether {@code session} with {@code peer} compares {@code key}'s members ({@link MemberClaims}). */
  boolean claimMembers(String peer, byte[] key, Object session, long sessionId) {
    return memberClaims.claim(peer, key, session, sessionId);
  }

  /** Shipments kept to be resumed, for tests. */
  int shipmentsKept() {
    return shipmentsOut.size();
  }
}
