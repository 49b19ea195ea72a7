package dev.meld.antientropy;

import java.util.Arrays;
import java.util.List;

/**
 * The comparison logic of one side of a session: turns each part the peer sent into work queued in
 * the {@link Outbox}, after checking that the part answers something this side asked.
 *
 * <p>The decisions, for a child segment whose digests differ: if the peer holds nothing there, ship
 * all of it; if it is expected to hold few keys (or most of its siblings differ too, so the
 * differences are dense), list it; otherwise descend one level. At the root, a difference of
 * exactly one key on one side is recognized from the Hello's totals and repaired without descending
 * (see {@link Part.Probe}).
 */
final class Reconciler {

  /** How much denser a segment may be when most of its siblings differ before we list it whole. */
  private static final double DENSE_FACTOR = 4;

  /** Bytes a round costs beyond its parts: frame, round header, part header. */
  private static final int ROUND_OVERHEAD = 24;

  private static final long[] NO_FINGERPRINTS = new long[0];

  /**
   * Members expected in a differing segment at or below which both sides swap slices instead of
   * descending: a slice carries each member whole and the record's context once, so small slices
   * keep a sync of d differing members near d members' worth of bytes.
   */
  static final double SLICE_MEMBERS = 2;

  private final LocalSide local;
  private final Outbox outbox;
  private final int fanoutBits;
  private final int digestBytes;
  private final int fingerprintBytes;
  private long peerKeyCount;
  private boolean askedAboutRoot;

  Reconciler(
      LocalSide local, Outbox outbox, int fanoutBits, int digestBytes, int fingerprintBytes) {
    this.local = local;
    this.outbox = outbox;
    this.fanoutBits = fanoutBits;
    this.digestBytes = digestBytes;
    this.fingerprintBytes = fingerprintBytes;
  }

  /** The initiator's Hello asked about the whole key space. */
  void initiated() {
    askedAboutRoot = true;
  }

  /** The responder's first move: compare the Hello's root with ours and queue what follows. */
  void compareRoots(SyncMessage.Hello hello) {
    peerKeyCount = hello.keyCount();
    Digest root = local.root();
    if (root.equals(hello.root())) {
      return;
    }
    long extraKeys = hello.keyCount() - local.keyCount();
    long hashDelta = hello.keyHashSum() - local.keyHashSum();
    Digest digestDelta = hello.root().minus(root);
    List<byte[]> named =
        extraKeys == -1 ? local.keysHolding(-hashDelta, Digest.ZERO.minus(digestDelta)) : List.of();
    if (!named.isEmpty()) {
      // We hold exactly one record more, and the sums name it: ship it, nothing else differs.
      outbox.shipKeys(named, false);
    } else if (extraKeys == 1 && !root.isZero()) {
      outbox.probe(new Part.Probe(hashDelta, digestDelta));
      askedAboutRoot = true;
    } else {
      decide(Segment.ROOT, root.isZero(), hello.root().isZero(), false);
    }
  }

  /** Handles one part of a round; records go to {@code merge}. */
  void handle(Part part, List<SyncRecord> merge, boolean firstRound) throws SyncProtocolException {
    if (part instanceof Part.Digests digests) {
      onDigests(digests);
    } else if (part instanceof Part.Entries entries) {
      onEntries(entries);
    } else if (part instanceof Part.Request request) {
      onRequest(request);
    } else if (part instanceof Part.Probe probe) {
      onProbe(probe, firstRound);
    } else if (part instanceof Part.KeyDigests keyDigests) {
      onKeyDigests(keyDigests);
    } else if (part instanceof Part.KeySlices keySlices) {
      onKeySlices(keySlices);
    } else if (part instanceof Part.KeySymbols keySymbols) {
      onKeySymbols(keySymbols);
    } else if (part instanceof Part.MoreSymbols more) {
      onMoreSymbols(more);
    } else {
      merge.addAll(((Part.Records) part).records());
    }
  }

  private void onDigests(Part.Digests part) throws SyncProtocolException {
    int childBits = outbox.childBits(part.bits());
    if (part.childBits() != childBits || part.width() != digestBytes) {
      throw new SyncProtocolException(
          "digests "
              + part.bits()
              + "->"
              + part.childBits()
              + " bits, width "
              + part.width()
              + " (expected: "
              + part.bits()
              + "->"
              + childBits
              + ", width "
              + digestBytes
              + ")");
    }
    int n = 1 << (childBits - part.bits());
    long[] theirs = part.digests();
    for (int i = 0; i < part.prefixes().length; i++) {
      Segment segment = new Segment(part.bits(), part.prefixes()[i]);
      if (!offeredDigestsOf(segment)) {
        throw new SyncProtocolException(
            "unexpected digests of segment "
                + segment
                + " (expected: children of a segment this side sent digests for)");
      }
      long[] mine = local.childDigests(segment, childBits, digestBytes);
      int differing = 0;
      for (int j = 0; j < n; j++) {
        differing += mine[j] != theirs[i * n + j] ? 1 : 0;
      }
      for (int j = 0; j < n; j++) {
        if (mine[j] != theirs[i * n + j]) {
          decide(
              segment.child(childBits, j), mine[j] == 0, theirs[i * n + j] == 0, differing * 2 > n);
        }
      }
    }
  }

  private void decide(Segment differing, boolean mineEmpty, boolean theirsEmpty, boolean dense) {
    if (theirsEmpty) {
      outbox.shipAllBut(differing, NO_FINGERPRINTS);
    } else if (mineEmpty || differing.bits() == 64 || fewKeys(differing.bits(), dense)) {
      outbox.sendEntries(differing);
    } else {
      outbox.sendDigests(differing);
    }
  }

  /**
   * Whether listing a segment at {@code bits} costs less than descending into it. With m keys
   * expected per side and one difference inside, listing costs about {@code m * fingerprintBytes};
   * descending costs one round ({@code 2^fanoutBits * digestBytes} plus framing) and then listing
   * the one differing child, {@code m / 2^fanoutBits * fingerprintBytes}.
   */
  private boolean fewKeys(int bits, boolean dense) {
    double expectedKeys = Math.scalb((double) Math.max(local.keyCount(), peerKeyCount), -bits);
    double fanout = 1 << fanoutBits;
    double descend = fanout * digestBytes + ROUND_OVERHEAD;
    double listPerKey = fingerprintBytes * (1 - 1 / fanout);
    return expectedKeys * listPerKey <= descend * (dense ? DENSE_FACTOR : 1);
  }

  private void onEntries(Part.Entries part) throws SyncProtocolException {
    Segment segment = part.segment();
    if (part.width() != fingerprintBytes || !askedAbout(segment)) {
      throw new SyncProtocolException(
          "unexpected entries of segment "
              + segment
              + ", width "
              + part.width()
              + " (expected: within a segment this side sent digests for, width "
              + fingerprintBytes
              + ")");
    }
    // Streams my side of the segment: memory stays proportional to what the peer listed, even
    // when this side holds far more (a peer that holds nothing lists nothing).
    long[] theirs = Arrays.stream(part.fingerprints()).sorted().distinct().toArray();
    boolean[] matched = new boolean[theirs.length];
    boolean[] theyLackSome = {false};
    local.listFrom(
        segment,
        0,
        null,
        fingerprintBytes,
        listed -> {
          int i = Arrays.binarySearch(theirs, listed.fingerprint());
          if (i < 0) {
            theyLackSome[0] = true;
          } else {
            matched[i] = true;
          }
          return true;
        });
    LongList wanted = new LongList();
    for (int i = 0; i < theirs.length; i++) {
      if (!matched[i]) {
        wanted.add(theirs[i]);
      }
    }
    if (wanted.size() > 0) {
      outbox.sendRequest(segment, wanted.toArray());
    }
    if (theyLackSome[0]) {
      outbox.shipAllBut(segment, theirs);
    }
  }

  private void onRequest(Part.Request part) throws SyncProtocolException {
    if (part.width() != fingerprintBytes) {
      throw new SyncProtocolException(
          "request width: " + part.width() + " (expected: " + fingerprintBytes + ")");
    }
    outbox.shipKeys(outbox.keysListed(part.segment(), part.fingerprints()), true);
  }

  private void onProbe(Part.Probe probe, boolean firstRound) throws SyncProtocolException {
    if (!askedAboutRoot || !firstRound) {
      throw new SyncProtocolException(
          "unexpected probe (expected: only in the responder's first round)");
    }
    List<byte[]> keys = local.keysHolding(probe.keyHash(), probe.digest());
    if (keys.isEmpty()) {
      outbox.sendDigests(Segment.ROOT);
    } else {
      outbox.shipKeys(keys, false);
    }
  }

  /**
   * Members of one record, compared like keys: where children differ, descend while many members
   * are expected there, else swap slices. The root comes unasked (the peer found the record
   * differs and it is too large to ship); every level below must answer digests we sent.
   */
  private void onKeyDigests(Part.KeyDigests part) throws SyncProtocolException {
    byte[] key = part.key();
    Part.Digests digests = part.digests();
    int childBits = outbox.childBits(digests.bits());
    if (digests.childBits() != childBits || digests.width() != digestBytes) {
      throw new SyncProtocolException(
          "member digests "
              + digests.bits()
              + "->"
              + digests.childBits()
              + " bits, width "
              + digests.width()
              + " (expected: "
              + digests.bits()
              + "->"
              + childBits
              + ", width "
              + digestBytes
              + ")");
    }
    boolean root = digests.bits() == 0;
    for (long prefix : digests.prefixes()) {
      Segment segment = new Segment(digests.bits(), prefix);
      if (!root && !outbox.sentKeyDigestsFor(key, parentOf(segment))) {
        throw new SyncProtocolException(
            "unexpected member digests of segment "
                + segment
                + " (expected: children of a segment this side sent member digests for)");
      }
    }
    MemberView members = local.members(key);
    if (root) {
      if (!openedByPeer(key, members, part.members())) {
        return;
      }
    } else if (members == null) {
      outbox.shipKeys(List.of(key), false); // no longer a collection here
      return;
    }
    LocalSide within = local.within(members);
    long expected = Math.max(members.keyCount(), part.members());
    int n = 1 << (childBits - digests.bits());
    long[] theirs = digests.digests();
    List<Segment> slices = new java.util.ArrayList<>();
    for (int i = 0; i < digests.prefixes().length; i++) {
      Segment segment = new Segment(digests.bits(), digests.prefixes()[i]);
      long[] mine = within.childDigests(segment, childBits, digestBytes);
      for (int j = 0; j < n; j++) {
        if (mine[j] == theirs[i * n + j]) {
          continue;
        }
        Segment child = segment.child(childBits, j);
        if (childBits == 64
            || mine[j] == 0
            || theirs[i * n + j] == 0
            || Math.scalb((double) expected, -childBits) <= SLICE_MEMBERS) {
          slices.add(child);
        } else {
          outbox.sendKeyDigests(key, child);
        }
      }
    }
    if (!slices.isEmpty()) {
      outbox.shipSlices(key, slices);
      for (Segment child : slices) {
        outbox.askSlices(key, child);
      }
    }
  }

  /**
   * The peer opened the comparison of {@code key}'s members (root digests or first symbols), and
   * holds {@code peerMembers}: returns whether to compare them, after queueing this side's guard;
   * otherwise queues what replaces the comparison.
   */
  private boolean openedByPeer(byte[] key, MemberView members, long peerMembers)
      throws SyncProtocolException {
    outbox.comparedByPeer(key);
    if (members == null) {
      // Nothing here to compare against: ask for all of it, and ship what the key holds here.
      outbox.askSlices(key, Segment.ROOT);
      outbox.shipKeys(List.of(key), false);
      return false;
    }
    if (!local.comparesMembers(key)) {
      return false; // another session with this peer compares them now: answer nothing
    }
    if (lopsided(members.keyCount(), peerMembers)) {
      // One side lacks most of the other's members, or very many (see GAP_SHIPPED_WHOLE):
      // comparing them would cost more than shipping them. The side with more members ships all
      // of it, with its context; the other only asks. Not both: the smaller side's shipment is
      // mostly what the larger holds, and building it took the smaller side's replica thread
      // from the merge it needed (scripts/big-set, 3M members: a wiped replica shipped its
      // partial copy to both peers, sessions timed out). What the smaller side alone holds goes
      // in a later session: once the larger side's shipment is merged, the smaller holds a
      // superset of it, so the counts are either close (compared member by member) or lopsided
      // the other way (shipped whole back).
      // Not at a half: a set growing under writes while replication lags would be shipped whole
      // every round, slowing replication further (issue-16 bench, SADD into an emptied set).
      if (members.keyCount() > peerMembers) {
        outbox.shipWhole(key);
      } else {
        outbox.askSlices(key, Segment.ROOT);
      }
      return false;
    }
    outbox.shipGuard(key);
    return true;
  }

  /**
   * Coded symbols of one record's members ({@link MemberSketches}): the first batch opens the
   * comparison unasked, later ones must answer what we asked. If the first carries our members'
   * digest sum, they are equal and nothing is decoded. Else subtract ours and peel; once
   * decoded, swap slices of exactly the member hashes that differ; else ask for more, or descend
   * with digests when the symbols reach their limit, fail to decode, or decode to no difference
   * (a member whose two versions share a 32-bit fingerprint hides from the sketch, not from the
   * digests; and the descent costs little when members are equal).
   */
  private void onKeySymbols(Part.KeySymbols part) throws SyncProtocolException {
    byte[] key = part.key();
    MemberSketches sketches = outbox.sketches();
    MemberView members = local.members(key);
    SketchDecoder decoder;
    int n = part.hashSums().length;
    if (part.from() == 0) {
      if (sketches.opened(key)) {
        throw new SyncProtocolException(
            "member symbols of a record from 0 again (expected: once per record and session)");
      }
      if (!openedByPeer(key, members, part.members())) {
        return;
      }
      decoder = sketches.open(key, members);
      if (part.sum() == local.fingerprint(sketches.mine(key, members).sum())) {
        sketches.done(key); // the members are equal: only contexts differ, which the guards join
        return;
      }
    } else {
      decoder = sketches.decoder(key);
      int asked = sketches.asked(key);
      if (decoder == null || part.from() != decoder.size() || part.from() + n > asked) {
        throw new SyncProtocolException(
            "member symbols "
                + part.from()
                + ".."
                + (part.from() + n)
                + " (expected: "
                + (decoder == null
                    ? "none, this side asks for no symbols of that record"
                    : "from " + decoder.size() + " up to " + asked)
                + ")");
      }
      if (members == null) {
        sketches.done(key);
        outbox.shipKeys(List.of(key), false); // no longer a collection here
        return;
      }
    }
    if (part.from() + n > MemberSketches.MAX_SYMBOLS) {
      throw new SyncProtocolException(
          "member symbols up to "
              + (part.from() + n)
              + " (expected: at most "
              + MemberSketches.MAX_SYMBOLS
              + ")");
    }
    SketchDecoder.State state =
        decoder.add(part.from(), part.counts(), part.hashSums(), part.tagSums());
    long[] differing = decoder.differingHashes();
    if (state == SketchDecoder.State.MORE) {
      int upTo = sketches.askMore(key, decoder, part.members(), members.keyCount());
      if (upTo > 0) {
        outbox.askMoreSymbols(key, upTo);
        return;
      }
    }
    sketches.done(key);
    if (state != SketchDecoder.State.DECODED || differing.length == 0) {
      outbox.sendKeyDigests(key, Segment.ROOT);
      return;
    }
    List<Segment> slices = new java.util.ArrayList<>(differing.length);
    for (long hash : differing) {
      slices.add(new Segment(64, hash));
    }
    outbox.shipSlices(key, slices);
    for (Segment slice : slices) {
      outbox.askSlices(key, slice);
    }
  }

  /** The peer could not decode our symbols of a record yet and asks for more. */
  private void onMoreSymbols(Part.MoreSymbols part) throws SyncProtocolException {
    int sent = outbox.sketches().sent(part.key());
    if (sent < 0 || part.upTo() <= sent || part.upTo() > MemberSketches.MAX_SYMBOLS) {
      throw new SyncProtocolException(
          "request for member symbols up to "
              + part.upTo()
              + " (expected: "
              + (sent < 0
                  ? "none, this side sent no symbols of that record"
                  : "more than the " + sent + " sent, at most " + MemberSketches.MAX_SYMBOLS)
              + ")");
    }
    outbox.sendSymbols(part.key(), part.upTo());
  }

  /**
   * Members one side lacks, by the counts alone, from which a record is shipped whole rather than
   * compared (when they are also more than an eighth of it). The counts' difference is a lower
   * bound on the members that differ, and a comparison cost some 450 bytes per differing member
   * with the descent (SetMembersBandwidthReport; about 67 with the member sketch, which decodes at
   * most 4,096 symbols and then descends) against about 21 per member shipped whole; worse, below
   * the digest tree's leaves each round scans members on the replica's thread, so a comparison of millions of
   * differing members stalled that thread, peers timed out, and no session ever finished (a
   * replica 8.6M members behind on a 10M-member set, scripts/big-set). Not lower: a set growing
   * under writes differs by what replication has in flight, which the log delivers while a
   * comparison runs (60,000 members in the issue-16 bench at -P 16), and shipping it whole every
   * round slowed replication further.
   */
  static final long GAP_SHIPPED_WHOLE = 1L << 17;

  /**
   * Whether a record is shipped whole instead of compared member by member: one side holds less
   * than an eighth of the other's members, or lacks more than an eighth of them and at least {@link
   * #GAP_SHIPPED_WHOLE}.
   */
  static boolean lopsided(long mine, long theirs) {
    long min = Math.min(mine, theirs);
    long max = Math.max(mine, theirs);
    return min < max / 8 || (max - min >= GAP_SHIPPED_WHOLE && max - min > max / 8);
  }

  /** The peer shipped its slices of these segments of a record's members and asks for ours. */
  private void onKeySlices(Part.KeySlices part) throws SyncProtocolException {
    byte[] key = part.key();
    List<Segment> segments = part.segments();
    boolean sentSymbols = outbox.sketches().sent(key) >= 0;
    for (Segment segment : segments) {
      // After symbols, the peer asks for the whole record (it holds none it can compare, or it
      // holds far fewer members) or for the slices of the exact member hashes that differ.
      boolean asked =
          (sentSymbols && (segment.bits() == 0 || segment.bits() == 64))
              || (segment.bits() == 0
                  ? outbox.sentKeyDigestsFor(key, Segment.ROOT)
                  : outbox.sentKeyDigestsFor(key, parentOf(segment)));
      if (!asked) {
        throw new SyncProtocolException(
            "unexpected slice request for segment "
                + segment
                + " (expected: a child of a segment this side sent member digests for, or one"
                + " member hash of a record this side sent symbols of)");
      }
    }
    if (part.bits() == 0) {
      outbox.shipWhole(key); // the peer holds nothing it can compare: all of it, with its context
    } else {
      outbox.shipSlices(key, segments);
    }
  }

  /** The segment whose children, at this session's levels, include {@code segment}. */
  private Segment parentOf(Segment segment) throws SyncProtocolException {
    int bits = segment.bits();
    int parentBits = bits == 64 ? 64 - (64 % fanoutBits == 0 ? fanoutBits : 64 % fanoutBits) : bits - fanoutBits;
    if (bits == 0 || parentBits < 0 || outbox.childBits(parentBits) != bits) {
      throw new SyncProtocolException(
          "segment " + segment + " (expected: at a level this session descends to)");
    }
    return segment.ancestor(parentBits);
  }

  /** Whether the peer may send digests of {@code segment}: we sent digests of its parent. */
  private boolean offeredDigestsOf(Segment segment) {
    if (segment.bits() == 0) {
      return askedAboutRoot;
    }
    int parentBits =
        segment.bits() == 64
            ? 64 - (64 % fanoutBits == 0 ? fanoutBits : 64 % fanoutBits)
            : segment.bits() - fanoutBits;
    return parentBits >= 0
        && outbox.childBits(parentBits) == segment.bits()
        && outbox.sentDigestsFor(segment.ancestor(parentBits));
  }

  /** Whether {@code segment} lies below a segment we sent digests for (or asked about the root). */
  private boolean askedAbout(Segment segment) {
    if (askedAboutRoot) {
      return true;
    }
    for (int bits = 0; bits < segment.bits(); bits += fanoutBits) {
      if (outbox.sentDigestsFor(segment.ancestor(bits))) {
        return true;
      }
    }
    return false;
  }
}
