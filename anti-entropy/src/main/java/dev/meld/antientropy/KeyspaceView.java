package dev.meld.antientropy;

/**
 * What a sync session needs from the replica that owns it: the key count, the digest tree, an
 * ordered listing of a hash range, and a key's encoded state.
 *
 * <p>Records are ordered by {@code (keyHash64 unsigned, key bytes unsigned)} (see {@link
 * KeyHashing}); a store kept in that order answers {@link #entries} for one {@link Segment} with a
 * seek and a scan of that segment alone. A session reads through this view synchronously, from
 * within {@link SyncSession} steps; it never writes: records it receives are handed back to the
 * caller to merge.
 */
public interface KeyspaceView {

  /** The number of keys held. */
  long keyCount();

  /** The digest tree over the keys held, current as of the last write. */
  DigestTree digests();

  /**
   * Visits every record with {@code fromHash <= keyHash64 <= toHash} (unsigned) in {@code
   * (keyHash64, key)} order, until the visitor returns {@code false}.
   */
  void entries(long fromHash, long toHash, EntryVisitor visitor);

  /** The encoded state held for {@code key}, or {@code null} if none. */
  byte[] read(byte[] key);

  /**
   * The record of {@code key} as a sequence of parts, for a record too large for one sync message:
   * {@link #read} returned null for it, or a state larger than any message. Each part is a state
   * the receiving replica merges like any record, in order, and is at most {@code maxPartBytes}
   * long. Null (the default) if the record cannot be shipped in parts: it is then skipped.
   */
  default RecordParts parts(byte[] key, int maxPartBytes) {
    return null;
  }

  /**
   * The members of {@code key}'s record as a keyspace of their own ({@link MemberView}), for a
   * collection kept in pieces that is compared member by member instead of shipped whole; null (the
   * default) for any other record, or none.
   */
  default MemberView members(byte[] key) {
    return null;
  }

  /**
   * Whether the session {@code sessionId} compares {@code key}'s members now; if not, it leaves
   * that record to another session. A replica often runs two sessions with one peer at once (one
   * started by each side), and both would find the same differing members and repair them twice;
   * a view that knows its replica's sessions answers true in one of them only, the same one on
   * both replicas (for instance the one with the smallest session id). True by default.
   */
  default boolean comparesMembers(byte[] key, long sessionId) {
    return true;
  }

  /** The parts of one record, produced as they are shipped (so a large record never sits whole in memory). */
  interface RecordParts {
    /** The next part, or null when every part has been produced. */
    byte[] next();
  }

  /** Receives listed records. */
  @FunctionalInterface
  interface EntryVisitor {
    /**
     * One record: its key, {@link KeyHashing#keyHash64 key hash} and {@link KeyHashing#recordDigest
     * record digest}. Returns whether to continue. The key array belongs to the store: read it,
     * copy it, never modify it.
     */
    boolean visit(byte[] key, long keyHash, Digest digest);
  }
}
