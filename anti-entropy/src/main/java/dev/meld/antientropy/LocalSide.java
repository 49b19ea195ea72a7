package dev.meld.antientropy;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's read-only view of its own replica: digests of any segment at any level, and the
 * fingerprints of the records in a segment.
 *
 * <p>Levels up to the tree's leaf level come from the {@link DigestTree}; finer levels are computed
 * by listing the records of the one segment asked about. The tree's leaves hold about {@value
 * DigestTree#KEYS_PER_LEAF} keys, so that listing is short, and a store ordered by {@code
 * (keyHash64, key)} does it without touching any other segment.
 */
final class LocalSide {

  private final KeyspaceView view;
  private final Fingerprinter fingerprinter;
  private final long sessionId;

  LocalSide(KeyspaceView view, Fingerprinter fingerprinter, long sessionId) {
    this.view = view;
    this.fingerprinter = fingerprinter;
    this.sessionId = sessionId;
  }

  long keyCount() {
    return view.keyCount();
  }

  Digest root() {
    return view.digests().root();
  }

  long keyHashSum() {
    return view.digests().keyHashSum();
  }

  /** The keys (copies) of the records held with exactly this key hash and record digest. */
  List<byte[]> keysHolding(long keyHash, Digest digest) {
    List<byte[]> keys = new ArrayList<>(1);
    view.entries(
        keyHash,
        keyHash,
        (key, hash, d) -> {
          if (d.equals(digest)) {
            keys.add(key.clone());
          }
          return true;
        });
    return keys;
  }

  /**
   * Salted {@code width}-byte digests of the {@code 2^(childBits - bits)} children of {@code
   * segment}.
   */
  long[] childDigests(Segment segment, int childBits, int width) {
    int n = 1 << (childBits - segment.bits());
    long[] out = new long[n];
    DigestTree tree = view.digests();
    if (childBits <= tree.leafBits()) {
      for (int j = 0; j < n; j++) {
        out[j] = fingerprinter.of(tree.digest(segment.child(childBits, j)), width);
      }
      return out;
    }
    Digest[] sums = new Digest[n];
    java.util.Arrays.fill(sums, Digest.ZERO);
    view.entries(
        segment.first(),
        segment.last(),
        (key, hash, digest) -> {
          int j = (int) ((hash >>> (64 - childBits)) & (n - 1));
          sums[j] = sums[j].plus(digest);
          return true;
        });
    for (int j = 0; j < n; j++) {
      out[j] = fingerprinter.of(sums[j], width);
    }
    return out;
  }

  /**
   * The keys and {@code width}-byte fingerprints of the records in {@code segment}, in store order,
   * stopping after {@code limit} (so the result holds at most {@code limit + 1}: more than the
   * limit means "too many").
   */
  List<Listed> list(Segment segment, int width, int limit) {
    List<Listed> out = new ArrayList<>();
    view.entries(
        segment.first(),
        segment.last(),
        (key, hash, digest) -> {
          out.add(new Listed(key, hash, fingerprinter.of(digest, width)));
          return out.size() <= limit;
        });
    return out;
  }

  /**
   * Visits records of {@code segment} after position {@code (afterHash, afterKey)} (or from the
   * start if {@code afterKey} is null) until the visitor returns false.
   */
  void listFrom(
      Segment segment, long afterHash, byte[] afterKey, int width, ListedVisitor visitor) {
    long from = afterKey == null ? segment.first() : afterHash;
    view.entries(
        from,
        segment.last(),
        (key, hash, digest) -> {
          if (afterKey != null
              && hash == afterHash
              && java.util.Arrays.compareUnsigned(key, afterKey) <= 0) {
            return true;
          }
          return visitor.visit(new Listed(key, hash, fingerprinter.of(digest, width)));
        });
  }

  byte[] read(byte[] key) {
    return view.read(key);
  }

  KeyspaceView.RecordParts parts(byte[] key, int maxPartBytes) {
    return view.parts(key, maxPartBytes);
  }

  /** {@code key}'s members as a view of their own, or null (see {@link KeyspaceView#members}). */
  MemberView members(byte[] key) {
    return view.members(key);
  }

  /** The session's salted 8-byte fingerprint of {@code digest} (0 only for the zero digest). */
  long fingerprint(Digest digest) {
    return fingerprinter.of(digest, 8);
  }

  /** Whether this session compares {@code key}'s members ({@link KeyspaceView#comparesMembers}). */
  boolean comparesMembers(byte[] key) {
    return view.comparesMembers(key, sessionId);
  }

  /** This side of the comparison of {@code members}, salted as this session salts its keys. */
  LocalSide within(MemberView members) {
    return new LocalSide(members, fingerprinter, sessionId);
  }

  /** A listed record: its key (owned by the store, never modified), key hash and fingerprint. */
  record Listed(byte[] key, long hash, long fingerprint) {}

  @FunctionalInterface
  interface ListedVisitor {
    boolean visit(Listed listed);
  }
}
