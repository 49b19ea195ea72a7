package dev.meld.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.meld.antientropy.CodedSymbols;
import dev.meld.crdt.Bytes;
import dev.meld.node.store.RecordStore;
import java.util.List;

/**
 * The first coded symbols of large sets' members ({@link CodedSymbols}), for anti-entropy's member
 * sketch: built by one scan the first time a session needs them, then kept current by the write
 * path from the same {@link MemberTrees.Change}s as the digest trees (about {@code 4 ln size} cell
 * updates per member changed), so a session on a hot 10^6-member set does not rescan it. Bounded
 * by memory; symbols evicted are rebuilt when needed. A session gets a copy: it sends its symbols
 * in batches over several rounds, and all of them must be of one state of the set.
 */
final class MemberSymbols {

  private final Cache<Bytes, CodedSymbols> kept;
  private int scans;

  MemberSymbols(long maxBytes) {
    this.kept =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((Bytes key, CodedSymbols k) -> 20 * k.size() + 64)
            .build();
  }

  /**
   * A copy of the first {@code size} symbols of the set {@code header} describes: from what is
   * kept if its digest sum is still the header's members' and it is large enough, else from a scan
   * (kept, for a set worth it).
   */
  CodedSymbols symbolsFor(RecordStore store, byte[] key, SetHeader header, int size) {
    Bytes ref = Bytes.of(key);
    CodedSymbols k = header.count() < MemberTrees.MIN_MEMBERS ? null : kept.getIfPresent(ref);
    if (k == null || k.size() < size || !k.sum().equals(header.members())) {
      CodedSymbols built = new CodedSymbols(size);
      scans++;
      SetMembersView.scan(
          store,
          key,
          0,
          -1L,
          (piece, hash, digest) -> {
            built.add(hash, digest);
            return true;
          });
      if (header.count() < MemberTrees.MIN_MEMBERS) {
        return built;
      }
      kept.put(ref, built);
      k = built;
    }
    return k.prefix(size);
  }

  /** How many times symbols were built by a scan (tests). */
  int scans() {
    return scans;
  }

  /** As {@link MemberTrees#committed}. */
  void committed(byte[] key, List<MemberTrees.Change> changes, boolean dropped) {
    Bytes ref = Bytes.of(key);
    CodedSymbols k = kept.getIfPresent(ref);
    if (k == null) {
      return;
    }
    if (dropped) {
      kept.invalidate(ref);
      return;
    }
    for (MemberTrees.Change change : changes) {
      k.change(change.memberHash(), change.before(), change.after());
    }
  }

  /** {@code key} no longer holds a set, or what it holds is unknown. */
  void forget(byte[] key) {
    kept.invalidate(Bytes.of(key));
  }
}
