package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.crdt.Crdt;
import dev.meld.crdt.Orswot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The member set: an add-wins OR-set of encoded {@link Member}s kept under the reserved key {@link
 * ReservedKeys#MEMBERS}, replicated by the log and repaired by anti-entropy like any record. A node
 * seeds it from its configured seeds the first time its store opens, joins (adds itself) at every
 * open where it is absent, and removes itself when it leaves. Peers are the members other than this
 * node.
 *
 * <p>If a name appears with several addresses (a node that moved while another still held its old
 * entry), the greatest address in byte order is used until the node's own join replaces the others.
 *
 * <p>It also knows where this node stands ({@link ReplicaStatus.MembershipState}). A node that has
 * peers is <em>joining</em> until a peer shows it lists this node (the only proof a node can see is
 * a ping from a peer, since a replica pings exactly its members) when at open
 *
 * <ul>
 *   <li>its store held a member set without it (it had left, or it was never added), or
 *   <li>its store held no member set and its seeds do not name it (a joiner: its seeds are the
 *       members it asks to be let in by), or
 *   <li>its store was restored from a backup: it may lack writes it once acknowledged, so it must
 *       hear from a member before it serves.
 * </ul>
 *
 * A node whose store held no member set and whose seeds name it is a <em>founding</em> member: the
 * seed list every founding node was given is the member set, so it is a member at once, even if no
 * peer is up. Being joining is persisted (meta {@value #JOIN_PENDING_META}) until a peer confirms
 * it, so a joiner that restarts before any peer listed it is still joining, although its own store
 * now lists it.
 */
final class Membership {

  /** Stages a local write to the member record: the writer logs it like a client write. */
  interface Writer {
    void write(WritePath.Slot slot, Crdt<?> state, Crdt<?> delta);
  }

  /** Meta value present while this node's join has not been confirmed by a peer. */
  static final String JOIN_PENDING_META = "join-pending";

  private final Member self;
  private final List<Member> seeds;
  private final Metrics metrics;
  private TreeMap<String, Member> members = new TreeMap<>();
  private boolean joining;
  private boolean leaving;

  Membership(Member self, List<Member> seeds, Metrics metrics) {
    this.self = self;
    this.seeds = List.copyOf(seeds);
    this.metrics = metrics;
  }

  /** Re-reads the member set from its record ({@code null}: absent). */
  void refresh(Crdt<?> state) {
    TreeMap<String, Member> now = new TreeMap<>();
    Orswot<Bytes> set = asSet(state);
    if (set != null) {
      for (Bytes element : set.elements()) {
        try {
          Member m = Member.decode(element.toByteArray());
          now.merge(m.name(), m, (a, b) -> a.address().compareTo(b.address()) >= 0 ? a : b);
        } catch (IllegalArgumentException e) {
          metrics.error("malformed-member");
        }
      }
    }
    members = now;
  }

  /**
   * At open: seeds the set if this store never held one, then adds this node if it is absent (or
   * listed with another address), and decides whether this node is joining (staging or clearing
   * {@value #JOIN_PENDING_META} in the same batch).
   *
   * @param joinPending whether the store holds {@value #JOIN_PENDING_META}
   * @param restored whether the store was restored from a backup (it may be behind what this node
   *     acknowledged)
   */
  void joinAtOpen(
      WritePath writes,
      Writer writer,
      dev.meld.crdt.ReplicaId replica,
      boolean joinPending,
      boolean restored) {
    WritePath.Slot slot = writes.load(ReservedKeys.MEMBERS);
    boolean fresh = slot.state == null;
    Orswot<Bytes> set = fresh ? Orswot.ofBytes() : asSet(slot.state);
    if (set == null) {
      metrics.error("members-record-not-a-set");
      return;
    }
    boolean listed = includesSelf();
    Orswot<Bytes> delta = Orswot.ofBytes();
    if (fresh) {
      for (Member seed : new TreeSet<>(seeds)) {
        delta.mergeFrom(set.add(replica, Bytes.of(seed.encode())));
      }
    }
    Bytes mine = Bytes.of(self.encode());
    for (Bytes element : List.copyOf(set.elements())) {
      if (!element.equals(mine) && named(element, self.name())) {
        delta.mergeFrom(set.remove(element));
      }
    }
    if (!set.contains(mine)) {
      delta.mergeFrom(set.add(replica, mine));
    }
    writer.write(slot, set, delta);
    boolean others = set.elements().stream().anyMatch(e -> !named(e, self.name()));
    boolean founding = fresh && seeds.stream().anyMatch(m -> m.name().equals(self.name()));
    joining = (joinPending || restored || !(listed || founding)) && others;
    if (joining) {
      writes.batch().putMeta(JOIN_PENDING_META, new byte[] {1});
    } else if (joinPending) {
      writes.batch().deleteMeta(JOIN_PENDING_META);
    }
  }

  /**
   * A peer pinged this node, so it lists this node: a join is confirmed (staged in {@code writes};
   * the caller flushes). Returns whether this changed anything.
   */
  boolean confirmedBy(Peer peer, WritePath writes) {
    if (!joining || peer == null) {
      return false;
    }
    joining = false;
    writes.batch().deleteMeta(JOIN_PENDING_META);
    return true;
  }

  /** Whether this node has begun to leave (in this session). */
  boolean leaving() {
    return leaving;
  }

  /** Whether this node is joining: listed by itself, by no peer yet as far as it knows. */
  boolean joining() {
    return joining;
  }

  /** Where this node stands; {@code drainRunning} tells a leave in progress from one that ended. */
  ReplicaStatus.MembershipState state(boolean drainRunning) {
    if (leaving) {
      return drainRunning
          ? ReplicaStatus.MembershipState.LEAVING
          : ReplicaStatus.MembershipState.LEFT;
    }
    if (lostSelf()) {
      return ReplicaStatus.MembershipState.MISSING;
    }
    return joining ? ReplicaStatus.MembershipState.JOINING : ReplicaStatus.MembershipState.MEMBER;
  }

  /*
   * What a peer may change in the member set (node/README.md, "What a peer may do"). The set is an
   * OR-set whose states do not say who removed an element, so the rules are stated on what a merge
   * would do to this node's set, by name:
   *
   *   - the incoming state is an OR-set of well-formed members (a register at this key, which the
   *     record lattice would let win over the set, emptied every member set once);
   *   - no merge removes this node, unless it is leaving: only a node removes itself;
   *   - no merge leaves the set empty;
   *   - an entry of a peer's own log, and any state from a non-member, may remove only the
   *     sender's own entries; both may add entries (a joiner adds itself, and a fresh node seeds
   *     its set from its configured seeds, under its own dots).
   *
   * Relayed states (a member's MEMBERS message, an anti-entropy repair) may add and remove other
   * nodes: that is how a leave reaches a node that was down when the leaver left. A member that
   * lies in them can therefore still remove a third node here; it cannot remove this node, empty
   * the set, or turn it into something else.
   */

  /** Where a membership change came from. */
  enum Source {
    /** An entry of the sender's own log: the sender made this change. */
    OWN_LOG,
    /** The sender's set as it holds it (a MEMBERS message or an anti-entropy repair). */
    RELAYED
  }

  /**
   * Why merging {@code incoming}, from {@code sender}, into the member set {@code current} ({@code
   * null}: absent) is refused, or {@code null} if it may be merged.
   */
  String refusal(Crdt<?> current, Crdt<?> incoming, String sender, Source source) {
    Orswot<Bytes> in = asSet(incoming);
    if (in == null) {
      return "member set from " + sender + ": a " + incoming.type() + " (expected: an OR-set)";
    }
    for (Bytes element : in.elements()) {
      try {
        Member.decode(element.toByteArray());
      } catch (IllegalArgumentException e) {
        return "member set from " + sender + ": a malformed member (" + e.getMessage() + ")";
      }
    }
    Orswot<Bytes> now = asSet(current);
    if (current != null && now == null) {
      return "member set here: a " + current.type() + " (expected: an OR-set); nothing merges";
    }
    Set<String> before = names(now);
    Orswot<Bytes> merged = now == null ? Orswot.ofBytes() : now.copy();
    merged.mergeFrom(in);
    Set<String> after = names(merged);
    if (!leaving && before.contains(self.name()) && !after.contains(self.name())) {
      return "member set from "
          + sender
          + ": removes this node (expected: only a node removes"
          + " itself)";
    }
    if (after.isEmpty() && !before.isEmpty()) {
      return "member set from " + sender + ": empties the set (expected: at least one member)";
    }
    boolean member = before.contains(sender);
    if (member && source == Source.RELAYED) {
      return null;
    }
    // A non-member, or an entry of the sender's own log: it may remove only its own entries.
    Set<String> removedOthers = new TreeSet<>();
    if (now != null) {
      for (Bytes element : now.elements()) {
        if (!merged.contains(element) && !named(element, sender)) {
          removedOthers.add(describe(element));
        }
      }
    }
    if (removedOthers.isEmpty()) {
      return null;
    }
    return (member ? "member set entry in the log of " : "member set from non-member ")
        + sender
        + ": "
        + names(in)
        + " merged into "
        + before
        + " removes "
        + removedOthers
        + (member
            ? " (expected: a node removes only itself)"
            : " (expected: a join, which removes nobody)");
  }

  private static String describe(Bytes element) {
    try {
      Member m = Member.decode(element.toByteArray());
      return m.name() + "@" + m.address();
    } catch (IllegalArgumentException e) {
      return "a malformed member";
    }
  }

  private static Set<String> names(Orswot<Bytes> set) {
    Set<String> names = new TreeSet<>();
    if (set != null) {
      for (Bytes element : set.elements()) {
        try {
          names.add(Member.decode(element.toByteArray()).name());
        } catch (IllegalArgumentException e) {
          // a malformed element names nobody (counted when the set is refreshed)
        }
      }
    }
    return names;
  }

  /** Whether {@code name} is in the member set (this node included). */
  boolean isMember(String name) {
    return members.containsKey(name);
  }

  /**
   * Whether this node has gone missing from the member set while it thinks it is a member: not
   * joining, not leaving, yet not listed. No peer can cause it (see {@link #refusal}); a set
   * damaged before that rule existed can.
   */
  boolean lostSelf() {
    return !leaving && !members.containsKey(self.name());
  }

  /** Removes this node (every address it is listed under) from the set. */
  void leave(WritePath writes, Writer writer) {
    leaving = true;
    WritePath.Slot slot = writes.load(ReservedKeys.MEMBERS);
    Orswot<Bytes> set = asSet(slot.state);
    if (set == null) {
      return;
    }
    Orswot<Bytes> delta = Orswot.ofBytes();
    for (Bytes element : List.copyOf(set.elements())) {
      if (named(element, self.name())) {
        delta.mergeFrom(set.remove(element));
      }
    }
    writer.write(slot, set, delta);
  }

  private static boolean named(Bytes element, String name) {
    try {
      return Member.decode(element.toByteArray()).name().equals(name);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static Orswot<Bytes> asSet(Crdt<?> state) {
    return state instanceof Orswot<?> set ? (Orswot<Bytes>) set : null;
  }

  /** The members, by name. */
  Collection<Member> members() {
    return members.values();
  }

  /** The names of the members other than this node. */
  Set<String> peerNames() {
    Set<String> names = new TreeSet<>(members.keySet());
    names.remove(self.name());
    return names;
  }

  /** Whether this node is in the set. */
  boolean includesSelf() {
    return members.containsKey(self.name());
  }

  /** The members as a list, for status. */
  List<Member> list() {
    return new ArrayList<>(members.values());
  }
}
