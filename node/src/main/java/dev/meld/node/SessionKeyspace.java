package dev.meld.node;

import dev.meld.antientropy.DigestTree;
import dev.meld.antientropy.KeyspaceView;
import dev.meld.antientropy.MemberView;

/**
 * The replica's records as one anti-entropy session with one peer sees them: the {@link
 * StoreKeyspace}, except that a whole set shipped in parts resumes a shipment to that peer that an
 * earlier session cut short ({@link ShipmentsOut}). The session's owner calls {@link #ended} when
 * the session ends, however it ends.
 */
final class SessionKeyspace implements KeyspaceView {

  private final StoreKeyspace keyspace;
  private final String peer;

  SessionKeyspace(StoreKeyspace keyspace, String peer) {
    this.keyspace = keyspace;
    this.peer = peer;
  }

  @Override
  public long keyCount() {
    return keyspace.keyCount();
  }

  @Override
  public DigestTree digests() {
    return keyspace.digests();
  }

  @Override
  public void entries(long fromHash, long toHash, EntryVisitor visitor) {
    keyspace.entries(fromHash, toHash, visitor);
  }

  @Override
  public byte[] read(byte[] key) {
    return keyspace.read(key);
  }

  @Override
  public RecordParts parts(byte[] key, int maxPartBytes) {
    return keyspace.parts(key, maxPartBytes, peer, this);
  }

  @Override
  public MemberView members(byte[] key) {
    return keyspace.members(key);
  }

  @Override
  public boolean comparesMembers(byte[] key, long sessionId) {
    return keyspace.claimMembers(peer, key, this, sessionId);
  }

  /** The session ended: the shipments it drew from may go on in another. */
  void ended() {
    keyspace.sessionEnded(this);
  }
}
