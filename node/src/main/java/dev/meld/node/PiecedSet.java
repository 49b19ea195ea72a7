package dev.meld.node;

import dev.meld.antientropy.Digest;
import dev.meld.crdt.Bytes;
import dev.meld.crdt.CausalContext;
import dev.meld.crdt.Dot;
import dev.meld.crdt.ElementCodec;
import dev.meld.crdt.Orswot;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.store.ArrayKey;
import dev.meld.node.store.Committed;
import dev.meld.node.store.PieceVisitor;
import dev.meld.node.store.RecordStore;
import dev.meld.node.store.StoreBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One key's add-wins set as the store keeps it: a header and one piece per member and per dot
 * ({@link SetPieces}), read on demand, with the changes of the open batch staged over them. It is
 * the same lattice as {@link Orswot}, whose canonical encoding stays the contract for peers and
 * for anti-entropy; here a write touches a bounded number of rows whatever the set's size.
 *
 * <p>{@link #mergeFrom} is {@link Orswot#mergeFrom} over rows, in the same three steps: our dots
 * that the other side has seen but does not hold go (for the other's vector, a range of our dot
 * pieces per replica; for its cloud, one lookup each); its dots our context has not seen come in;
 * the contexts join. A delta's context holds exactly the dots it supersedes, so merging a delta
 * reads and writes O(delta) rows; a whole state's vector covers everything, so merging one costs
 * the set's size, as it must.
 */
final class PiecedSet {

  /** A staged deletion; compared by identity, since an empty element is a legal piece value. */
  private static final byte[] DELETED = new byte[0];

  private static final int PIECE_OVERHEAD = 48;

  private final RecordStore store;
  private final byte[] key;
  private final CausalContext context;
  private long count;
  /* Dots held by members but not in the context: see SetHeader#pending. Zero but while a peer's
   * shipment is half merged; while it is not zero, "have we seen this dot" also asks the store
   * whether the dot's piece exists. */
  private long pending;
  private Digest members;
  /* The batch's pieces, by piece key. A hash map: a write looks its pieces up several times, and a
   * sorted map's byte-array comparisons were a sixth of a SADD's time (JFR, issue 16). Order is
   * needed only by scan() and writeTo(), which sort what they need when they run. */
  private Map<ArrayKey, byte[]> staged = new HashMap<>();
  /* The staged pieces in order, built by scan() when it needs them; null after any change. */
  private NavigableMap<byte[], byte[]> stagedInOrder;
  private boolean dropStored; // every stored piece is gone: the staged ones are all there is
  private long stagedBytes;
  private Digest written;
  private byte[] writtenHeader;
  /* Pieces read from the store since the last commit. A SADD reads its member's piece three times
   * (is it present, its dots for the delta, its dots for the merge); the store is written only
   * through this object, so what was read stays true until this object writes it, and what it
   * writes is staged, which is looked up first. Cleared at each commit, so it holds at most one
   * batch's reads. What it holds is what the store holds before the batch, so writeTo() hands it
   * to the batch as the pieces' originals and the commit does not read them again. */
  private Map<ArrayKey, byte[]> readMemo = new HashMap<>();
  /* Member digests changed since the last commit, for anti-entropy's tree of this set's members. */
  private final List<MemberTrees.Change> changes = new ArrayList<>();
  private boolean droppedAll;

  private PiecedSet(RecordStore store, byte[] key, SetHeader header) {
    this.store = store;
    this.key = key;
    this.context = header.context().copy();
    this.count = header.count();
    this.members = header.members();
    this.pending = header.pending();
  }

  /** The set stored under {@code key} with {@code header}. */
  static PiecedSet open(RecordStore store, byte[] key, SetHeader header) {
    return new PiecedSet(store, key, header);
  }

  /**
   * A new empty set under {@code key}, replacing whatever pieces the key had: the record held
   * another type, or nothing.
   */
  static PiecedSet create(RecordStore store, byte[] key) {
    PiecedSet set = new PiecedSet(store, key, SetHeader.EMPTY);
    set.dropStored = true;
    set.droppedAll = true;
    return set;
  }

  // ------------------------------------------------------------------------------ reads

  long size() {
    return count;
  }

  boolean contains(Bytes element) {
    return read(SetPieces.memberKey(element)) != null;
  }

  /** The dots of {@code element}, sorted; empty if absent. */
  List<Dot> dots(Bytes element) {
    byte[] value = read(SetPieces.memberKey(element));
    return value == null ? List.of() : SetPieces.decodeDots(value);
  }

  /**
   * A copy of the context, without the {@link #pendingDots}: what the set has seen is both (what
   * {@link #materialize} shows).
   */
  CausalContext context() {
    return context.copy();
  }

  /** The key's anti-entropy digest as staged. */
  Digest digest() {
    return header().digest(key);
  }

  SetHeader header() {
    return new SetHeader(context.copy(), count, members, pending);
  }

  /** How many dots members hold outside the context. */
  long pendingDots() {
    return pending;
  }

  /** Receives members in piece order; returns false to stop. */
  @FunctionalInterface
  interface MemberVisitor {
    boolean visit(long hash, Bytes element, byte[] dots);
  }

  /** Visits the members whose 63-bit element hash is at least {@code fromHash}, in hash order. */
  void members(long fromHash, MemberVisitor visitor) {
    scan(
        SetPieces.membersFrom(fromHash),
        SetPieces.membersEnd(),
        (piece, value) ->
            visitor.visit(SetPieces.memberHash(piece), SetPieces.memberElement(piece), value));
  }

  /** The whole state, as the canonical encoding knows it. Costs the set's size. */
  Orswot<Bytes> materialize() {
    Map<Bytes, List<Dot>> entries = new HashMap<>();
    members(
        0,
        (hash, element, dots) -> {
          entries.put(element, SetPieces.decodeDots(dots));
          return true;
        });
    return Orswot.of(ElementCodec.BYTES, header().contextCovering(entries), entries);
  }

  // ------------------------------------------------------------------------------ writes

  /**
   * Adds {@code element} as {@code replica} with a fresh dot that replaces the dots observed here.
   *
   * @return the delta, as {@link Orswot#add} returns it
   */
  Orswot<Bytes> add(ReplicaId replica, Bytes element) {
    CausalContext seen = contextOf(dots(element));
    Dot dot = context.nextDot(replica);
    seen.add(dot);
    Orswot<Bytes> delta = Orswot.of(ElementCodec.BYTES, seen, Map.of(element, List.of(dot)));
    mergeFrom(delta);
    return delta;
  }

  /**
   * Removes the adds of {@code element} observed here.
   *
   * @return the delta, as {@link Orswot#remove} returns it: empty if the element is absent
   */
  Orswot<Bytes> remove(Bytes element) {
    Orswot<Bytes> delta = Orswot.of(ElementCodec.BYTES, contextOf(dots(element)), Map.of());
    mergeFrom(delta);
    return delta;
  }

  /**
   * Removes every member observed here, as one range deletion of the pieces.
   *
   * @return the delta: no elements over this set's whole context, which removes on a peer exactly
   *     what {@link Orswot#clear}'s delta would (every dot held here is in the context), at the
   *     size of the context instead of one dot per member
   */
  Orswot<Bytes> clear() {
    if (pending > 0) {
      countPending(true); // the clear removes them too, so a peer must see them in its context
    }
    Orswot<Bytes> delta = Orswot.of(ElementCodec.BYTES, context, Map.of());
    dropAll();
    return delta;
  }

  /**
   * Joins {@code other} (a delta or a whole state) into this set.
   *
   * @return whether anything changed
   */
  boolean mergeFrom(Orswot<Bytes> other) {
    CausalContext theirs = other.context();
    boolean mayPend = pending > 0;
    if (!mayPend && other.isEmpty() && theirs.merge(context).equals(theirs)) {
      // A clear that saw everything we hold (the usual delta of a peer's DEL): empty, as one range
      // deletion, instead of reading and deleting every member's rows.
      boolean changed = count > 0;
      dropAll();
      return context.mergeFrom(theirs) | changed;
    }
    List<Dot> gone = new ArrayList<>();
    long[] covered = {0}; // pending dots of ours that their context covers and they still hold
    for (Map.Entry<ReplicaId, Long> e : theirs.vector().asMap().entrySet()) {
      ReplicaId replica = e.getKey();
      scan(
          SetPieces.dotKey(replica, 1),
          SetPieces.dotKeyAfter(replica, e.getValue()),
          (piece, element) -> {
            Dot dot = SetPieces.dot(piece);
            if (!other.holds(dot)) {
              gone.add(dot);
            } else if (mayPend && !context.contains(dot)) {
              covered[0]++;
            }
            return true;
          });
    }
    for (Dot dot : theirs.cloud()) {
      boolean inContext = context.contains(dot);
      if ((inContext ? other.holds(dot) : !mayPend) || read(SetPieces.dotKey(dot)) == null) {
        continue;
      }
      if (!other.holds(dot)) {
        gone.add(dot);
      } else {
        covered[0]++;
      }
    }
    boolean changed = !gone.isEmpty();
    for (Dot dot : gone) {
      removeDot(dot);
    }
    pending -= covered[0]; // the join below puts them in the context
    if (count == 0 && !staged.isEmpty()) {
      dropAll(); // a clear from a peer: one range deletion instead of a row per member
    }
    for (Bytes element : other.elements()) {
      for (Dot dot : other.dots(element)) {
        // A pending dot was counted as covered above, so ask the store, not the count.
        if (!context.contains(dot) && !(mayPend && read(SetPieces.dotKey(dot)) != null)) {
          addDot(element, dot);
          changed = true;
        }
      }
    }
    changed |= context.mergeFrom(theirs);
    return changed;
  }

  /**
   * Joins one slice of a peer's set ({@link SetSlice}): its members with element hashes in {@code
   * [from, to]} over its context. Only our members in that range are judged against the context,
   * and the context itself is not joined: the dots the slice brings in become pending ({@link
   * SetHeader#pending}) until a context that covers them is joined. Costs our members in the range
   * plus the slice.
   *
   * <p>Why pending, rather than added to the context: a slice's dots are a random sample of the
   * sender's counters (slices go in element-hash order), so added one by one they stay in the
   * context's cloud, one entry per member, until the commit joins the sender's context. A shipment
   * of millions of members that did not commit (a session timed out) left a cloud of millions,
   * which every later write of the set re-encoded with the header (issue 16: a replica behind by
   * 10M members stalled at 4,991,949 with 3,022,948 cloud dots). Pending dots are the dot pieces
   * the store holds anyway, so they cost a count in the header.
   *
   * @return whether anything changed
   */
  boolean mergeSlice(Orswot<Bytes> slice, long from, long to) {
    return mergeSlices(slice, new long[] {from}, new long[] {to});
  }

  /**
   * Joins a peer's members in several ranges ({@link SetRanges}): {@link #mergeSlice} over each
   * range, with the slice's members brought in once.
   *
   * @return whether anything changed
   */
  boolean mergeSlices(Orswot<Bytes> slice, long[] from, long[] to) {
    CausalContext theirs = slice.context();
    List<Dot> gone = new ArrayList<>();
    for (int i = 0; i < from.length; i++) {
      scan(
          SetPieces.membersFrom(from[i]),
          to[i] == Long.MAX_VALUE ? SetPieces.membersEnd() : SetPieces.membersFrom(to[i] + 1),
          (piece, value) -> {
            remember(piece, value);
            for (Dot dot : SetPieces.decodeDots(value)) {
              if (theirs.contains(dot) && !slice.holds(dot)) {
                gone.add(dot);
              }
            }
            return true;
          });
    }
    boolean changed = !gone.isEmpty();
    for (Dot dot : gone) {
      removeDot(dot);
    }
    for (Bytes element : slice.elements()) {
      // The scan above visited every member in range: one it did not visit is absent.
      remember(SetPieces.memberKey(element), DELETED);
      for (Dot dot : slice.dots(element)) {
        if (!seen(dot)) {
          addDot(element, dot);
          pending++;
          changed = true;
        }
      }
    }
    return changed;
  }

  /**
   * Joins a peer's context, once every slice of its shipment has been merged ({@link SetSlice}),
   * or under a guard that our members are exactly the ones it goes with ({@link SetGuard}); the
   * pending dots it covers are pending no more.
   *
   * @return whether the context grew
   */
  boolean mergeContext(CausalContext theirs) {
    boolean grew = context.mergeFrom(theirs);
    if (grew && pending > 0) {
      pending = countPending(false);
    }
    return grew;
  }

  // ------------------------------------------------------------------------------ the batch

  /** Bytes this set has staged, for the caller's batch budget. */
  long stagedBytes() {
    return stagedBytes;
  }

  /** Stages the header and every staged piece into {@code batch}. */
  void writeTo(StoreBatch batch) {
    writeTo(batch, null);
  }

  /**
   * Stages the header and every staged piece into {@code batch}, each piece with
   * what the store holds of it if this set read it; {@code headerBefore} is what the store holds
   * of the header, if the caller knows (null if not).
   */
  void writeTo(StoreBatch batch, Committed headerBefore) {
    if (dropStored) {
      batch.deletePieces(key);
    }
    // In no particular order: each piece is staged once, and the commit orders what it writes.
    for (Map.Entry<ArrayKey, byte[]> e : staged.entrySet()) {
      ArrayKey piece = e.getKey();
      byte[] value = e.getValue();
      Committed before = dropStored ? null : stored(piece);
      if (value == DELETED) {
        if (!dropStored) {
          batch.deletePiece(key, piece.bytes(), before);
        }
      } else {
        batch.putPiece(key, piece.bytes(), value, before);
      }
    }
    SetHeader header = header();
    byte[] context = header.contextBytes(); // once for the value and the digest
    writtenHeader = header.encode(context);
    batch.put(key, writtenHeader, headerBefore);
    written = header.digest(key, context);
  }

  /** What the store holds of {@code piece} as read in this batch; null if it was not read. */
  private Committed stored(ArrayKey piece) {
    byte[] memo = readMemo.get(piece);
    if (memo == null) {
      return null;
    }
    return memo == DELETED ? Committed.ABSENT : Committed.of(memo);
  }

  /** The header {@link #writeTo} last staged: what the store holds once that batch commits. */
  byte[] writtenHeader() {
    return writtenHeader;
  }

  /** The digest of what {@link #writeTo} last staged: the key's digest once that batch commits. */
  Digest writtenDigest() {
    return written;
  }

  /** The member digests changed by the batch {@link #writeTo} filled. */
  List<MemberTrees.Change> memberChanges() {
    return changes;
  }

  /** Whether that batch removed every member stored before it at once. */
  boolean droppedAll() {
    return droppedAll;
  }

  /** The batch {@link #writeTo} filled has committed: the staged pieces are the store's now. */
  void committed() {
    changes.clear();
    droppedAll = false;
    emptyBatchMaps();
    stagedInOrder = null;
    dropStored = false;
    stagedBytes = 0;
  }

  /* New maps, not cleared ones: a cleared HashMap keeps the table of the largest batch it held,
   * and clearing it or walking it (writeTo) costs that table, not what it holds. A peer that applied
   * the load of a 1M-member set in batches of 10,000 members spent a quarter of its replica
   * thread's samples on every later SADD walking and clearing tables of 32,768 slots (JFR). */
  private void emptyBatchMaps() {
    readMemo = new HashMap<>();
    staged = new HashMap<>();
  }

  // ------------------------------------------------------------------------------ rows

  /**
   * Notes what the store holds of {@code piece} ({@link #DELETED}: nothing), as a scan over it
   * showed, so that a write does not read it again; a piece staged or already read is left alone
   * (the memo holds the store's values, not the batch's).
   */
  private void remember(byte[] piece, byte[] value) {
    ArrayKey pieceKey = new ArrayKey(piece);
    if (!dropStored && !staged.containsKey(pieceKey)) {
      readMemo.putIfAbsent(pieceKey, value);
    }
  }

  /** Whether the set has seen {@code dot}: in its context, or held by a member as pending. */
  private boolean seen(Dot dot) {
    return context.contains(dot) || (pending > 0 && read(SetPieces.dotKey(dot)) != null);
  }

  /**
   * Counts the dot pieces outside the context; with {@code fold}, adds them to it and clears the
   * count. Seeks past each replica's dots the vector covers, so it costs the replicas, the cloud
   * and the pending dots, never the members the context covers.
   */
  private long countPending(boolean fold) {
    byte[] end = {SetPieces.DOT + 1};
    byte[] from = {SetPieces.DOT};
    long[] found = {0};
    List<Dot> outside = new ArrayList<>();
    while (from != null) {
      byte[][] seek = {null};
      scan(
          from,
          end,
          (piece, element) -> {
            Dot dot = SetPieces.dot(piece);
            long upTo = context.vector().get(dot.replica());
            if (dot.counter() <= upTo) {
              seek[0] = SetPieces.dotKeyAfter(dot.replica(), upTo);
              return false;
            }
            if (!context.contains(dot)) {
              found[0]++;
              if (fold) {
                outside.add(dot);
              }
            }
            return true;
          });
      from = seek[0];
    }
    if (fold) {
      outside.forEach(context::add);
      pending = 0;
    }
    return found[0];
  }

  private void removeDot(Dot dot) {
    if (pending > 0 && !context.contains(dot)) {
      context.add(dot); // its removal was seen: it must not come back from a stale replica
      pending--;
    }
    byte[] dotKey = SetPieces.dotKey(dot);
    byte[] elementBytes = read(dotKey);
    Bytes element = Bytes.of(elementBytes);
    byte[] memberKey = SetPieces.memberKey(element);
    byte[] before = read(memberKey);
    List<Dot> dots = new ArrayList<>(SetPieces.decodeDots(before));
    dots.remove(dot);
    Digest beforeDigest = SetHeader.memberDigest(key, memberKey, before);
    Digest afterDigest = Digest.ZERO;
    members = members.minus(beforeDigest);
    if (dots.isEmpty()) {
      write(memberKey, DELETED);
      count--;
    } else {
      byte[] after = SetPieces.encodeDots(dots);
      write(memberKey, after);
      afterDigest = SetHeader.memberDigest(key, memberKey, after);
      members = members.plus(afterDigest);
    }
    changed(memberKey, beforeDigest, afterDigest);
    write(dotKey, DELETED);
  }

  private void addDot(Bytes element, Dot dot) {
    byte[] memberKey = SetPieces.memberKey(element);
    byte[] before = read(memberKey);
    List<Dot> dots = new ArrayList<>();
    Digest beforeDigest = Digest.ZERO;
    if (before == null) {
      count++;
    } else {
      dots.addAll(SetPieces.decodeDots(before));
      beforeDigest = SetHeader.memberDigest(key, memberKey, before);
      members = members.minus(beforeDigest);
    }
    int at = -java.util.Collections.binarySearch(dots, dot) - 1;
    dots.add(at, dot);
    byte[] after = SetPieces.encodeDots(dots);
    write(memberKey, after);
    Digest afterDigest = SetHeader.memberDigest(key, memberKey, after);
    members = members.plus(afterDigest);
    changed(memberKey, beforeDigest, afterDigest);
    // The dot is unseen (every caller checks): not in the context, and if dots are pending, its
    // piece was looked up and is absent; with none pending, every stored dot is in the committed
    // context, which the staged one contains. Either way the store holds no piece for it.
    ArrayKey dotKey = new ArrayKey(SetPieces.dotKey(dot));
    if (!dropStored && !staged.containsKey(dotKey)) {
      readMemo.putIfAbsent(dotKey, DELETED);
    }
    write(dotKey.bytes(), element.toByteArray());
  }

  private void changed(byte[] memberKey, Digest before, Digest after) {
    changes.add(
        new MemberTrees.Change(
            SetMembersView.hash64(SetPieces.memberHash(memberKey)), before, after));
  }

  private void dropAll() {
    changes.clear();
    droppedAll = true;
    emptyBatchMaps();
    stagedInOrder = null;
    stagedBytes = 0;
    dropStored = true;
    count = 0;
    pending = 0;
    members = Digest.ZERO;
  }

  private static CausalContext contextOf(List<Dot> dots) {
    CausalContext context = new CausalContext();
    dots.forEach(context::add);
    return context;
  }

  /** A piece's value as staged over the store; null if absent. */
  private byte[] read(byte[] piece) {
    ArrayKey pieceKey = new ArrayKey(piece);
    byte[] value = staged.get(pieceKey);
    if (value != null) {
      return value == DELETED ? null : value;
    }
    if (dropStored) {
      return null;
    }
    byte[] memo = readMemo.get(pieceKey);
    if (memo == null) {
      memo = store.piece(key, piece).orElse(DELETED);
      readMemo.put(pieceKey, memo);
    }
    return memo == DELETED ? null : memo;
  }

  private void write(byte[] piece, byte[] value) {
    stagedInOrder = null;
    byte[] old = staged.put(new ArrayKey(piece), value);
    if (old == null) {
      stagedBytes += piece.length + PIECE_OVERHEAD;
    }
    stagedBytes += value.length - (old == null ? 0 : old.length);
  }

  /**
   * Visits the pieces in {@code [from, to)} as staged over the store, in order: a merge of the
   * store's scan with the staged changes in that range.
   */
  private void scan(byte[] from, byte[] to, PieceVisitor visitor) {
    overlaid(
        dropStored ? null : (f, t, v) -> store.scanPieces(key, f, t, v),
        stagedInOrder(),
        from,
        to,
        visitor);
  }

  /** Scans stored pieces; what {@link #overlaid} reads under the staged ones. */
  @FunctionalInterface
  interface StoredPieces {
    void scan(byte[] fromInclusive, byte[] toExclusive, PieceVisitor visitor);
  }

  /**
   * Visits the pieces in [from, to): those of {@code overlay} (staged writes; a {@link #DELETED}
   * value hides the piece) over those of {@code stored} (null: none stored counts), in order.
   */
  static void overlaid(
      StoredPieces stored,
      NavigableMap<byte[], byte[]> overlay,
      byte[] from,
      byte[] to,
      PieceVisitor visitor) {
    Iterator<Map.Entry<byte[], byte[]>> staged =
        overlay.subMap(from, true, to, false).entrySet().iterator();
    @SuppressWarnings("unchecked")
    Map.Entry<byte[], byte[]>[] next = new Map.Entry[] {staged.hasNext() ? staged.next() : null};
    boolean[] stopped = {false};
    if (stored != null) {
      stored.scan(
          from,
          to,
          (piece, value) -> {
            while (next[0] != null && Arrays.compareUnsigned(next[0].getKey(), piece) < 0) {
              if (!emit(next[0], visitor)) {
                stopped[0] = true;
                return false;
              }
              next[0] = staged.hasNext() ? staged.next() : null;
            }
            if (next[0] != null && Arrays.equals(next[0].getKey(), piece)) {
              Map.Entry<byte[], byte[]> mine = next[0];
              next[0] = staged.hasNext() ? staged.next() : null;
              if (!emit(mine, visitor)) {
                stopped[0] = true;
                return false;
              }
              return true;
            }
            if (!visitor.visit(piece, value)) {
              stopped[0] = true;
              return false;
            }
            return true;
          });
    }
    while (!stopped[0] && next[0] != null) {
      if (!emit(next[0], visitor)) {
        return;
      }
      next[0] = staged.hasNext() ? staged.next() : null;
    }
  }

  /** Whether {@link #openMembers} may open one more view of the store now. */
  boolean mayOpenMembers() {
    return dropStored || store.openViews() < RecordStore.MAX_OPEN_VIEWS;
  }

  /**
   * The members as they are now, staged changes included, for a reader that takes its time (a
   * long reply): later writes to this set do not show. The caller closes it.
   *
   * @throws IllegalStateException if the store has {@link RecordStore#MAX_OPEN_VIEWS} open ({@link
   *     RecordStore#openPieces} refuses; {@link #mayOpenMembers} tells beforehand)
   */
  SetMemberStream openMembers() {
    byte[] from = SetPieces.membersFrom(0);
    byte[] to = SetPieces.membersEnd();
    // The staged pieces are copied (a batch's worth at most); their arrays are never changed.
    NavigableMap<byte[], byte[]> overlay =
        new TreeMap<>(stagedInOrder().subMap(from, true, to, false));
    return new SetMemberStream(dropStored ? null : store.openPieces(key), overlay, count);
  }

  private NavigableMap<byte[], byte[]> stagedInOrder() {
    if (stagedInOrder == null) {
      stagedInOrder = new TreeMap<>(Arrays::compareUnsigned);
      staged.forEach((piece, value) -> stagedInOrder.put(piece.bytes(), value));
    }
    return stagedInOrder;
  }

  private static boolean emit(Map.Entry<byte[], byte[]> entry, PieceVisitor visitor) {
    return entry.getValue() == DELETED || visitor.visit(entry.getKey(), entry.getValue());
  }
}
