package dev.meld.antientropy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * What one side of a session still has to send, as lazy work items, and the packing of that work
 * into rounds under the message size bound.
 *
 * <p>Work is kept as intentions ("send my child digests of these segments", "ship my records in
 * this segment that the peer lacks") rather than as ready parts: digests and records are read from
 * the store when a round is packed, so a large repair never sits in memory, and what changed in
 * between is sent as it is now. A segment whose fingerprints do not fit in one message is split
 * into its children; record shipping resumes after the last key shipped.
 */
final class Outbox {

  /** Upper bound of a round's header: seq varint, flags, part count varint. */
  private static final int ROUND_HEADER = 5 + 1 + 3;

  /** Upper bound of a part's fixed header with its count varint. */
  static final int PART_HEADER = 4 + 5;

  private final LocalSide local;
  private final int fanoutBits;
  private final int digestBytes;
  private final int fingerprintBytes;
  private final int maxBody;
  private final ArrayDeque<Work> queue = new ArrayDeque<>();
  private final Set<Segment> digestsSent = new HashSet<>();
  private final Map<Segment, Map<Long, List<byte[]>>> listedKeys = new HashMap<>();
  private final Shipper shipper;
  private int fingerprintsRequested;

  Outbox(
      LocalSide local, int fanoutBits, int digestBytes, int fingerprintBytes, int maxMessageBytes) {
    this.local = local;
    this.fanoutBits = fanoutBits;
    this.digestBytes = digestBytes;
    this.fingerprintBytes = fingerprintBytes;
    this.maxBody = maxMessageBytes - SyncCodec.FRAME_OVERHEAD - ROUND_HEADER;
    this.shipper = new Shipper(local, maxBody - PART_HEADER, this::compareMembers);
  }

  /** The level below {@code bits} that the session descends to. */
  int childBits(int bits) {
    return Math.min(64, bits + fanoutBits);
  }

  /**
   * Queue "here are my child digests of {@code segment}"; segments at one level in increasing
   * order.
   */
  void sendDigests(Segment segment) {
    if (queue.peekLast() instanceof SendDigests last && last.accepts(segment)) {
      last.prefixes.add(segment.prefix());
    } else {
      queue.addLast(new SendDigests(segment));
    }
  }

  /** Queue "here are the fingerprints of everything I hold in {@code segment}". */
  void sendEntries(Segment segment) {
    queue.addLast(new SendEntries(segment));
  }

  /** Queue "send me the records with these fingerprints in {@code segment}". */
  void sendRequest(Segment segment, long[] fingerprints) {
    queue.addLast(new SendRequest(segment, fingerprints));
  }

  /**
   * Queue shipping my records in {@code segment} whose fingerprint, when shipped, is not in {@code
   * sortedFingerprints} (what the peer listed). Decided at packing time on current content: a
   * record changed in between ships as it is now, and one the peer turns out to hold is skipped.
   */
  void shipAllBut(Segment segment, long[] sortedFingerprints) {
    queue.addLast(shipper.allBut(segment, sortedFingerprints, fingerprintBytes));
  }

  /**
   * Queue shipping the current state of each of {@code keys}; {@code peerMayHold} whether the peer
   * may hold other versions of them (then a record too large to ship whole is compared member by
   * member instead).
   */
  void shipKeys(List<byte[]> keys, boolean peerMayHold) {
    if (!keys.isEmpty()) {
      queue.addLast(shipper.keys(keys, peerMayHold));
    }
  }

  // ------------------------------------------------------------ one record, member by member

  /** Records compared member by member in one session, at most: each costs a tree of digests. */
  static final int MAX_COMPARED_RECORDS = 64;

  private final Map<KeyRef, Set<Segment>> keyDigestsSent = new HashMap<>();
  private final Set<KeyRef> compared = new HashSet<>();
  private final MemberSketches sketches = new MemberSketches();

  /** A key as a map key. */
  record KeyRef(byte[] key) {
    @Override
    public boolean equals(Object o) {
      return o instanceof KeyRef k && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key);
    }
  }

  /**
   * Takes {@code key}, a record too large to ship whole, to be compared member by member: queues
   * its guard and its first coded symbols ({@link MemberSketches}). Returns false if it cannot be
   * (it is not a collection, or this session compares as many records as it may), and true,
   * queueing nothing, if it already is
   * (the peer opened the comparison, or this side did) or another session compares it ({@link
   * KeyspaceView#comparesMembers}).
   */
  boolean compareMembers(byte[] key) {
    KeyRef ref = new KeyRef(key.clone());
    if (compared.contains(ref)) {
      return true;
    }
    if (compared.size() >= MAX_COMPARED_RECORDS || local.members(key) == null) {
      return false;
    }
    compared.add(ref);
    if (!local.comparesMembers(key)) {
      return true; // another session with this peer compares them now
    }
    shipGuard(key);
    sendSymbols(key, MemberSketches.FIRST_BATCH);
    return true;
  }

  /**
   * Notes that the peer opened the comparison of {@code key}'s members.
   *
   * @throws SyncProtocolException if the peer opened more than this session may compare
   */
  void comparedByPeer(byte[] key) throws SyncProtocolException {
    KeyRef ref = new KeyRef(key.clone());
    if (!compared.contains(ref) && compared.size() >= MAX_COMPARED_RECORDS) {
      throw new SyncProtocolException(
          "member comparisons: more than "
              + MAX_COMPARED_RECORDS
              + " records (expected: at most "
              + MAX_COMPARED_RECORDS
              + " per session)");
    }
    compared.add(ref);
  }

  /** This session's member sketches. */
  MemberSketches sketches() {
    return sketches;
  }

  /** Queue "here are my coded symbols of {@code key}'s members", from the last sent to upTo. */
  void sendSymbols(byte[] key, int upTo) {
    queue.addLast(new SendKeySymbols(key, upTo));
  }

  /** Queue "send me your symbols of {@code key} up to {@code upTo}". */
  void askMoreSymbols(byte[] key, int upTo) {
    queue.addLast(new SendPart(new Part.MoreSymbols(key.clone(), upTo)));
  }

  /** Queue "here are my child digests of {@code segment} of {@code key}'s members". */
  void sendKeyDigests(byte[] key, Segment segment) {
    if (queue.peekLast() instanceof SendKeyDigests last && last.accepts(key, segment)) {
      last.prefixes.add(segment.prefix());
    } else {
      queue.addLast(new SendKeyDigests(key, segment));
    }
  }

  /** Whether this side sent digests of {@code segment} of {@code key}'s members. */
  boolean sentKeyDigestsFor(byte[] key, Segment segment) {
    Set<Segment> sent = keyDigestsSent.get(new KeyRef(key));
    return sent != null && sent.contains(segment);
  }

  /** Queue "here are my slices of {@code segment} of {@code key}'s members; send me yours". */
  void askSlices(byte[] key, Segment segment) {
    if (queue.peekLast() instanceof SendKeySlices last && last.accepts(key, segment)) {
      last.prefixes.add(segment.prefix());
    } else {
      queue.addLast(new SendKeySlices(key, segment));
    }
  }

  /** Queue shipping my slices of {@code segments} of {@code key}'s members. */
  void shipSlices(byte[] key, List<Segment> segments) {
    queue.addLast(shipper.slices(key, segments));
  }

  /** Queue shipping {@code key}'s record whole, or in parts if too large: never compared. */
  void shipWhole(byte[] key) {
    queue.addLast(shipper.keys(List.of(key.clone()), false));
  }

  /** Queue shipping the guard of {@code key}'s members. */
  void shipGuard(byte[] key) {
    queue.addLast(shipper.guard(key));
  }

  /** Queue a probe (see {@link Part.Probe}). */
  void probe(Part.Probe probe) {
    queue.addLast(new SendPart(probe));
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  boolean sentDigestsFor(Segment segment) {
    return digestsSent.contains(segment);
  }

  /**
   * The keys this side listed in {@code segment} under {@code fingerprints}, resolved against what
   * was listed, not against current content: merges since then may have changed the records'
   * fingerprints, but the peer asked for these keys.
   */
  List<byte[]> keysListed(Segment segment, long[] fingerprints) throws SyncProtocolException {
    Map<Long, List<byte[]>> listed = listedKeys.get(segment);
    if (listed == null) {
      throw new SyncProtocolException(
          "unexpected request for segment " + segment + " (expected: a segment this side listed)");
    }
    List<byte[]> keys = new ArrayList<>();
    for (long fingerprint : fingerprints) {
      List<byte[]> found = listed.get(fingerprint);
      if (found == null) {
        throw new SyncProtocolException(
            "request for fingerprint "
                + Long.toHexString(fingerprint)
                + " in segment "
                + segment
                + " (expected: one this side listed)");
      }
      keys.addAll(found);
    }
    return keys;
  }

  int recordsSent() {
    return shipper.sent();
  }

  int recordsSkipped() {
    return shipper.skipped();
  }

  int fingerprintsRequested() {
    return fingerprintsRequested;
  }

  /** Packs as much queued work as fits into the parts of one round. */
  List<Part> pack() throws SyncProtocolException {
    List<Part> parts = new ArrayList<>();
    long budget = maxBody;
    while (!queue.isEmpty()) {
      Work work = queue.pollFirst();
      Part part = work.fill(budget, parts.isEmpty());
      if (part != null) {
        parts.add(part);
        budget -= SyncCodec.partSize(part);
      }
      if (!work.done()) {
        queue.addFirst(work);
        if (part == null && parts.isEmpty()) {
          throw new IllegalStateException("no progress packing " + work);
        }
        break;
      }
    }
    return parts;
  }

  /** A unit of queued work that packs itself into parts. */
  abstract static class Work {
    /**
     * Emits a part of at most {@code budget} bytes, or null if nothing fits. In an empty message it
     * must make progress: emit something, finish, or replace itself with smaller work.
     */
    abstract Part fill(long budget, boolean emptyMessage) throws SyncProtocolException;

    abstract boolean done();
  }

  /** Work over segments of one record's members at one level, queued in increasing order. */
  private abstract static class KeySegments extends Work {
    final byte[] key;
    final int bits;
    final LongList prefixes = new LongList();
    int next;

    KeySegments(byte[] key, Segment first) {
      this.key = key.clone();
      this.bits = first.bits();
      prefixes.add(first.prefix());
    }

    boolean accepts(byte[] other, Segment segment) {
      return segment.bits() == bits
          && Arrays.equals(key, other)
          && Long.compareUnsigned(prefixes.get(prefixes.size() - 1), segment.prefix()) < 0;
    }

    /**
     * The next prefixes that fit in {@code room} bytes, each costing its delta varint plus {@code
     * perSegment}; {@code taken} sees each.
     */
    long[] take(long room, int perSegment, LongConsumer taken) {
      LongList out = new LongList();
      long previous = 0;
      while (next < prefixes.size()) {
        long prefix = prefixes.get(next);
        int cost = SyncCodec.varintSize(out.size() == 0 ? prefix : prefix - previous) + perSegment;
        if (cost > room) {
          break;
        }
        room -= cost;
        taken.accept(prefix);
        out.add(prefix);
        previous = prefix;
        next++;
      }
      return out.toArray();
    }

    @Override
    boolean done() {
      return next == prefixes.size();
    }

    @Override
    public String toString() {
      return getClass().getSimpleName()
          + "["
          + bits
          + " bits, "
          + (prefixes.size() - next)
          + " left]";
    }
  }

  private final class SendKeyDigests extends KeySegments {
    SendKeyDigests(byte[] key, Segment first) {
      super(key, first);
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      MemberView members = local.members(key);
      if (members == null) {
        // No longer a collection here: what the key holds now is small, ship it instead.
        next = prefixes.size();
        queue.addFirst(shipper.keys(List.of(key), false));
        return null;
      }
      LocalSide within = local.within(members);
      int childBits = childBits(bits);
      long room =
          budget
              - PART_HEADER
              - SyncCodec.varintSize(key.length)
              - key.length
              - SyncCodec.varintSize(members.keyCount());
      LongList digests = new LongList();
      Set<Segment> sent = keyDigestsSent.computeIfAbsent(new KeyRef(key), k -> new HashSet<>());
      long[] taken =
          take(
              room,
              digestBytes << (childBits - bits),
              prefix -> {
                Segment segment = new Segment(bits, prefix);
                digests.addAll(within.childDigests(segment, childBits, digestBytes));
                sent.add(segment);
              });
      return taken.length == 0
          ? null
          : new Part.KeyDigests(
              key,
              members.keyCount(),
              new Part.Digests(bits, childBits, digestBytes, taken, digests.toArray()));
    }
  }

  private final class SendKeySlices extends KeySegments {
    SendKeySlices(byte[] key, Segment first) {
      super(key, first);
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      long room = budget - PART_HEADER - SyncCodec.varintSize(key.length) - key.length - 1;
      long[] taken = take(room, 0, prefix -> {});
      return taken.length == 0 ? null : new Part.KeySlices(key, bits, taken);
    }
  }

  /**
   * This side's symbols of one record's members, from the last sent up to {@code upTo}: one part,
   * cut short only if it does not fit in an empty message (the peer asks again from where it ends).
   */
  private final class SendKeySymbols extends Work {
    final byte[] key;
    final int upTo;
    boolean done;

    SendKeySymbols(byte[] key, int upTo) {
      this.key = key.clone();
      this.upTo = upTo;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      MemberView members = local.members(key);
      if (members == null) {
        // No longer a collection here: what the key holds now is small, ship it instead.
        done = true;
        queue.addFirst(shipper.keys(List.of(key), false));
        return null;
      }
      int from = Math.max(0, sketches.sent(key));
      int n = upTo - from;
      if (n <= 0) {
        done = true;
        return null;
      }
      long fixed =
          SyncCodec.keySymbolsSize(key, members.keyCount(), from, n)
              - (long) n * SyncCodec.SYMBOL_BYTES;
      if (fixed + (long) n * SyncCodec.SYMBOL_BYTES > budget) {
        if (!emptyMessage) {
          return null;
        }
        n = (int) Math.max(1, (budget - fixed) / SyncCodec.SYMBOL_BYTES);
      }
      CodedSymbols symbols = sketches.mine(key, members);
      sketches.sentUpTo(key, from + n);
      done = true;
      long sum = from == 0 ? local.fingerprint(symbols.sum()) : 0;
      return new Part.KeySymbols(
          key,
          members.keyCount(),
          sum,
          from,
          symbols.counts(from, n),
          symbols.hashSums(from, n),
          symbols.tagSums(from, n));
    }

    @Override
    boolean done() {
      return done;
    }

    @Override
    public String toString() {
      return "SendKeySymbols[up to " + upTo + "]";
    }
  }

  /** One small part, ready made. */
  private static final class SendPart extends Work {
    final Part part;
    boolean done;

    SendPart(Part part) {
      this.part = part;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      if (SyncCodec.partSize(part) > budget) {
        return null;
      }
      done = true;
      return part;
    }

    @Override
    boolean done() {
      return done;
    }
  }

  private final class SendDigests extends Work {
    final int bits;
    final LongList prefixes = new LongList();
    int next;

    SendDigests(Segment first) {
      this.bits = first.bits();
      prefixes.add(first.prefix());
    }

    boolean accepts(Segment segment) {
      return segment.bits() == bits
          && Long.compareUnsigned(prefixes.get(prefixes.size() - 1), segment.prefix()) < 0;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      int childBits = childBits(bits);
      int perSegment = digestBytes << (childBits - bits);
      long room = budget - PART_HEADER;
      LongList taken = new LongList();
      LongList digests = new LongList();
      long previous = 0;
      while (next < prefixes.size()) {
        long prefix = prefixes.get(next);
        int cost =
            SyncCodec.varintSize(taken.size() == 0 ? prefix : prefix - previous) + perSegment;
        if (cost > room) {
          break;
        }
        room -= cost;
        Segment segment = new Segment(bits, prefix);
        digests.addAll(local.childDigests(segment, childBits, digestBytes));
        digestsSent.add(segment);
        taken.add(prefix);
        previous = prefix;
        next++;
      }
      return taken.size() == 0
          ? null
          : new Part.Digests(bits, childBits, digestBytes, taken.toArray(), digests.toArray());
    }

    @Override
    boolean done() {
      return next == prefixes.size();
    }

    @Override
    public String toString() {
      return "SendDigests[" + bits + " bits, " + (prefixes.size() - next) + " left]";
    }
  }

  private final class SendEntries extends Work {
    final Segment segment;
    boolean done;

    SendEntries(Segment segment) {
      this.segment = segment;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) throws SyncProtocolException {
      int fits = (int) Math.max(0, (budget - PART_HEADER) / fingerprintBytes);
      List<LocalSide.Listed> listed = local.list(segment, fingerprintBytes, fits);
      long size = SyncCodec.fingerprintPartSize(segment, fingerprintBytes, listed.size());
      if (listed.size() <= fits && size <= budget) {
        long[] fingerprints = new long[listed.size()];
        Map<Long, List<byte[]>> keys = new HashMap<>();
        for (int i = 0; i < fingerprints.length; i++) {
          fingerprints[i] = listed.get(i).fingerprint();
          keys.computeIfAbsent(fingerprints[i], f -> new ArrayList<>(1))
              .add(listed.get(i).key().clone());
        }
        listedKeys.put(segment, keys);
        done = true;
        return new Part.Entries(segment, fingerprintBytes, fingerprints);
      }
      if (!emptyMessage) {
        return null;
      }
      if (segment.bits() == 64) {
        throw new SyncProtocolException(
            "segment "
                + segment
                + " holds more than "
                + fits
                + " records with one key hash (expected: at most "
                + fits
                + ", what fits in a message)");
      }
      int childBits = childBits(segment.bits());
      for (long j = (1L << (childBits - segment.bits())) - 1; j >= 0; j--) {
        queue.addFirst(new SendEntries(segment.child(childBits, j)));
      }
      done = true;
      return null;
    }

    @Override
    boolean done() {
      return done;
    }

    @Override
    public String toString() {
      return "SendEntries[" + segment + "]";
    }
  }

  private final class SendRequest extends Work {
    final Segment segment;
    final long[] fingerprints;
    int next;

    SendRequest(Segment segment, long[] fingerprints) {
      this.segment = segment;
      this.fingerprints = fingerprints;
    }

    @Override
    Part fill(long budget, boolean emptyMessage) {
      long room = budget - SyncCodec.fingerprintPartSize(segment, fingerprintBytes, 0) - 4;
      int n = (int) Math.min(fingerprints.length - next, Math.max(0, room / fingerprintBytes));
      if (n == 0) {
        return null;
      }
      long[] taken = Arrays.copyOfRange(fingerprints, next, next + n);
      next += n;
      fingerprintsRequested += n;
      return new Part.Request(segment, fingerprintBytes, taken);
    }

    @Override
    boolean done() {
      return next == fingerprints.length;
    }

    @Override
    public String toString() {
      return "SendRequest[" + segment + ", " + (fingerprints.length - next) + " left]";
    }
  }
}
