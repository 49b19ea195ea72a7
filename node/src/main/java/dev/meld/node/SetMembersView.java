package dev.meld.node;

import dev.meld.antientropy.CodedSymbols;
import dev.meld.antientropy.DigestTree;
import dev.meld.antientropy.MemberView;
import dev.meld.crdt.DecodeLimits;
import dev.meld.node.store.RecordStore;
import java.util.function.IntFunction;

/**
 * A set kept in pieces, as anti-entropy compares it member by member: each member piece is an
 * entry, ordered by its element hash, with the digest {@link SetHeader#memberDigest} that the
 * header already sums. Sessions read the store as committed, on the replica's thread.
 *
 * <p>Element hashes are 63 bits ({@link SetPieces#elementHash}); the comparison's segments are
 * over 64-bit hashes, so a member's is its element hash shifted left by one, and a segment's range
 * is shifted back to choose the pieces.
 */
final class SetMembersView implements MemberView {

  private final RecordStore store;
  private final byte[] key;
  private final SetHeader header;
  private final DecodeLimits limits;
  private final DigestTree tree;
  private final IntFunction<CodedSymbols> symbols;
  private final long shipment;

  SetMembersView(
      RecordStore store,
      byte[] key,
      SetHeader header,
      DecodeLimits limits,
      DigestTree tree,
      IntFunction<CodedSymbols> symbols,
      long shipment) {
    this.store = store;
    this.key = key.clone();
    this.header = header;
    this.limits = limits;
    this.tree = tree;
    this.symbols = symbols;
    this.shipment = shipment;
  }

  /** The 64-bit hash the comparison orders a member by. */
  static long hash64(long elementHash) {
    return elementHash << 1;
  }

  @Override
  public long keyCount() {
    return header.count();
  }

  @Override
  public DigestTree digests() {
    return tree;
  }

  /** Kept current by the write path for a large set ({@link MemberSymbols}). */
  @Override
  public CodedSymbols symbols(int size) {
    return symbols.apply(size);
  }

  @Override
  public void entries(long fromHash, long toHash, EntryVisitor visitor) {
    scan(store, key, fromHash, toHash, visitor);
  }

  /**
   * Visits the member pieces of {@code key}'s set as entries, with 64-bit member hashes in {@code
   * [fromHash, toHash]} (unsigned), as committed.
   */
  static void scan(
      RecordStore store, byte[] key, long fromHash, long toHash, EntryVisitor visitor) {
    long from = fromHash >>> 1;
    long to = toHash >>> 1;
    if (from > to) {
      return;
    }
    store.scanPieces(
        key,
        SetPieces.membersFrom(from),
        to == SetSlice.LAST_HASH ? SetPieces.membersEnd() : SetPieces.membersFrom(to + 1),
        (piece, value) ->
            visitor.visit(
                piece,
                hash64(SetPieces.memberHash(piece)),
                SetHeader.memberDigest(key, piece, value)));
  }

  @Override
  public RecordParts slices(long[] fromHashes, long[] toHashes, int maxPartBytes) {
    long[] from = new long[fromHashes.length];
    long[] to = new long[toHashes.length];
    for (int i = 0; i < from.length; i++) {
      from[i] = fromHashes[i] >>> 1;
      to[i] = toHashes[i] >>> 1;
    }
    return new SetRangesShipment(store, key, limits, maxPartBytes, shipment, from, to);
  }

  @Override
  public byte[] guard() {
    return SetGuard.encode(header.members(), header.context());
  }
}
