package dev.meld.antientropy;

/**
 * One record seen as a keyspace of its own: the members of a collection kept in pieces (a set's
 * elements), so two replicas whose copies of one large record differ in a few members compare them
 * the way they compare keys, by digests over member-hash segments, and ship only the segments that
 * differ.
 *
 * <p>As a {@link KeyspaceView}, its "keys" are members: {@link #keyCount} counts them, {@link
 * #digests} and {@link #entries} range over a 64-bit member hash, and each entry's digest is that
 * member's. {@link #read} is not used. What ships is not a member but a slice: every member in a
 * hash range, over the record's causal context, so a member one side removed is removed on the
 * other too (a slice is complete within its range). The record's context travels by {@link
 * #guard}: the receiver joins it only if its own members are exactly the sender's, which makes the
 * join the merge of a real state.
 */
public interface MemberView extends KeyspaceView {

  /**
   * The slices of the members in the ranges {@code fromHashes[i] <= memberHash <= toHashes[i]}
   * (unsigned, ascending, disjoint), as record states at most {@code maxPartBytes} long; every
   * member in the ranges is in one of them, and each range is complete in the part that carries it.
   */
  RecordParts slices(long[] fromHashes, long[] toHashes, int maxPartBytes);

  /** The record's context with the digest of its members, as a record state to ship. */
  byte[] guard();

  /**
   * The first {@code size} coded symbols over this record's members ({@link CodedSymbols}: each
   * member's 64-bit hash with its digest), as of now. The default scans every member; a view that
   * keeps them current as members change may answer from what it keeps.
   */
  default CodedSymbols symbols(int size) {
    CodedSymbols symbols = new CodedSymbols(size);
    entries(
        0,
        -1L,
        (member, hash, digest) -> {
          symbols.add(hash, digest);
          return true;
        });
    return symbols;
  }

  @Override
  default byte[] read(byte[] key) {
    return null;
  }
}
