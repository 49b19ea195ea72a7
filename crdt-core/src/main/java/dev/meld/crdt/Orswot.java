package dev.meld.crdt;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An add-wins observed-remove set without tombstones (Bieniusa et al., "An optimized conflict-free
 * replicated set", 2012; as in riak_dt_orswot and Pekko's ORSet). The state is a causal context
 * (every add this replica has seen) plus, for each present element, the dots of the adds that put
 * it there. An element is present while it has a dot.
 *
 * <p>Merging keeps a dot if both sides hold it, or if one side holds it and the other has never
 * seen it; a dot one side has seen but no longer holds was removed there, and stays removed. So a
 * remove takes away only the adds it observed, and an add concurrent with a remove survives it.
 *
 * <p>Applying a delta costs O(size of the delta), not of the set: see the comment in the class.
 *
 * @param <E> the element type, encoded by the set's {@link ElementCodec}
 */
public final class Orswot<E> implements Crdt<Orswot<E>> {
  /*
   * How a merge stays proportional to the delta. Merging `other` into this:
   *
   *  1. Our dots that `other` has seen but does not hold are removed. We find them from the
   *     other side: for each replica r in other's vector, our dots r:1..vector[r] are a head of
   *     index[r] (a TreeMap from counter to element), walked upwards alongside other's index[r]
   *     (a merge join of two sorted sequences: one step per dot, no lookups); for each cloud dot
   *     of other, one lookup. Every dot of ours visited is either removed (a change) or held by
   *     `other` too, so the work is O(|other| + |removed|): a remove delta whose context is the
   *     cloud {a:7} visits exactly one dot, whatever the size of the set.
   *  2. Dots `other` holds that our context has never seen are added. A dot r:c with c at or
   *     below our vector[r] has been seen, so only the tail of other's index[r] above it is
   *     looked at: nothing at all when other is a full state we are up to date with.
   *  3. Our context takes in other's context.
   *
   * Worked example: we hold x:{a:1}, context {a:1}. A peer that also saw a:1 removed x and
   * concurrently another added x as b:1. The remove delta (entries {}, context {a:1}) drops a:1
   * in step 1; the add delta (x:{b:1}, context {b:1}) adds b:1 in step 2: x stays, by b:1.
   *
   * A full state carries a compact vector, so step 1 walks the covered part of our index: O(n),
   * which a full-state merge may cost.
   */
  private final ElementCodec<E> codec;
  private final CausalContext context;
  private final HashMap<E, Dot[]> entries; // element -> its dots, sorted, never empty
  private final HashMap<ReplicaId, TreeMap<Long, E>> index; // dot -> element

  /** Dots the last {@link #mergeFrom} looked at: a probe that tests read to check the cost. */
  int lastMergeWork;

  /** The empty set whose elements {@code codec} encodes. */
  public Orswot(ElementCodec<E> codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.context = new CausalContext();
    this.entries = new HashMap<>();
    this.index = new HashMap<>();
  }

  private Orswot(ElementCodec<E> codec, CausalContext context) {
    this.codec = codec;
    this.context = context;
    this.entries = new HashMap<>();
    this.index = new HashMap<>();
  }

  /** The empty set of byte strings, as the node stores them. */
  public static Orswot<Bytes> ofBytes() {
    return new Orswot<>(ElementCodec.BYTES);
  }

  /**
   * Adds {@code element} as {@code replica}, with a fresh dot that replaces the dots of the adds
   * of it this replica had observed.
   *
   * @return the delta: {@code element} with the new dot, over a context of the new and old dots
   * @throws IllegalArgumentException if the codec cannot encode {@code element} (nothing changes)
   */
  public Orswot<E> add(ReplicaId replica, E element) {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(element, "element");
    codec.encode(element);
    Dot dot = context.nextDot(replica);
    Orswot<E> delta = removal(entries.get(element));
    delta.context.add(dot);
    delta.putDot(element, dot);
    mergeFrom(delta);
    return delta;
  }

  /**
   * Removes {@code element}: drops the dots of the adds of it observed here, so adds not yet seen
   * still win.
   *
   * @return the delta: no elements, over a context of the dropped dots; empty (and nothing
   *     changes) if {@code element} is absent
   */
  public Orswot<E> remove(E element) {
    Objects.requireNonNull(element, "element");
    Orswot<E> delta = removal(entries.get(element));
    mergeFrom(delta);
    return delta;
  }

  /**
   * Removes every element observed here.
   *
   * @return the delta: no elements, over a context of every dot held here
   */
  public Orswot<E> clear() {
    Orswot<E> delta = new Orswot<>(codec);
    for (Dot[] dots : entries.values()) {
      for (Dot dot : dots) {
        delta.context.add(dot);
      }
    }
    mergeFrom(delta);
    return delta;
  }

  public boolean contains(E element) {
    return entries.containsKey(element);
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The present elements: an unmodifiable view, in no particular order. */
  public Set<E> elements() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /**
   * The dots of the adds that put {@code element} here, sorted; empty if it is absent. For stores
   * that keep a set in pieces, one row per element.
   */
  public List<Dot> dots(E element) {
    Dot[] dots = entries.get(element);
    return dots == null ? List.of() : List.of(dots);
  }

  /** Whether some element holds {@code dot}. */
  public boolean holds(Dot dot) {
    return holds(dot.replica(), dot.counter());
  }

  /**
   * The set with exactly this context and these elements and dots: how a store that keeps a set in
   * pieces puts it back together. Checked as the decoder checks a set.
   *
   * @throws IllegalArgumentException if an element has no dots, a dot is not in the context, or
   *     two elements hold one dot
   */
  public static <E> Orswot<E> of(
      ElementCodec<E> codec, CausalContext context, Map<E, ? extends Collection<Dot>> entries) {
    Orswot<E> set = new Orswot<>(Objects.requireNonNull(codec, "codec"), context.copy());
    for (Map.Entry<E, ? extends Collection<Dot>> e : entries.entrySet()) {
      E element = Objects.requireNonNull(e.getKey(), "element");
      codec.encode(element);
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("dots of " + element + ": none (expected: >= 1)");
      }
      for (Dot dot : e.getValue()) {
        if (!context.contains(dot)) {
          throw new IllegalArgumentException(
              "dot " + dot + " of " + element + " (expected: in the context " + context + ")");
        }
        if (set.holds(dot.replica(), dot.counter())) {
          throw new IllegalArgumentException(
              "dot " + dot + " of " + element + " (expected: held by one element only)");
        }
        set.putDot(element, dot);
      }
    }
    return set;
  }

  /** A copy of everything this set has seen. */
  public CausalContext context() {
    return context.copy();
  }

  /** The element codec. */
  public ElementCodec<E> codec() {
    return codec;
  }

  @Override
  public boolean mergeFrom(Orswot<E> other) {
    if (other == this) {
      lastMergeWork = 0;
      return false;
    }
    int work = 0;
    boolean changed = false;
    VersionVector theirVector = other.context.vectorView();
    for (int v = 0; v < theirVector.size(); v++) {
      ReplicaId replica = theirVector.replicaAt(v);
      TreeMap<Long, E> mine = index.get(replica);
      if (mine == null) {
        continue;
      }
      Iterator<Map.Entry<Long, E>> covered =
          mine.headMap(theirVector.counterAt(v), true).entrySet().iterator();
      HeldCounters theirs = new HeldCounters(other.index.get(replica), mine.firstKey());
      while (covered.hasNext()) {
        Map.Entry<Long, E> held = covered.next();
        // Read before remove(): TreeMap may reuse the removed entry for its successor.
        long counter = held.getKey();
        E element = held.getValue();
        work++;
        if (!theirs.skipTo(counter)) {
          covered.remove();
          dropFromEntries(element, new Dot(replica, counter));
          changed = true;
        }
      }
      if (mine.isEmpty()) {
        index.remove(replica);
      }
    }
    for (Map.Entry<ReplicaId, TreeSet<Long>> e : other.context.cloudView().entrySet()) {
      ReplicaId replica = e.getKey();
      long myTop = context.vectorView().get(replica);
      for (long counter : e.getValue()) {
        work++;
        // A dot we have never seen we cannot hold: no index lookup for a fresh add's dot.
        boolean seenHere = counter <= myTop || context.cloudContains(replica, counter);
        if (seenHere && holds(replica, counter) && !other.holds(replica, counter)) {
          removeDot(new Dot(replica, counter));
          changed = true;
        }
      }
    }
    VersionVector myVector = context.vectorView();
    for (Map.Entry<ReplicaId, TreeMap<Long, E>> e : other.index.entrySet()) {
      ReplicaId replica = e.getKey();
      // Every dot at or below our vector's counter has been seen here: only the tail can be new.
      for (Map.Entry<Long, E> dot : e.getValue().tailMap(myVector.get(replica), false).entrySet()) {
        work++;
        long counter = dot.getKey();
        if (!context.cloudContains(replica, counter)) {
          putDot(dot.getValue(), new Dot(replica, counter));
          changed = true;
        }
      }
    }
    changed |= context.mergeFrom(other.context);
    lastMergeWork = work;
    return changed;
  }

  /**
   * The counters another set holds for one replica, walked upwards alongside ours: a merge join
   * of two sorted sequences, so that checking every one of our dots against a full state costs one
   * step each instead of one lookup each.
   */
  private static final class HeldCounters {
    private final Iterator<Long> counters;
    private long current;
    private boolean exhausted;

    /** The counters in {@code held} (null: none) from {@code from} upwards. */
    HeldCounters(TreeMap<Long, ?> held, long from) {
      this.counters =
          held == null
              ? Collections.emptyIterator()
              : held.navigableKeySet().tailSet(from, true).iterator();
      advance();
    }

    /** Moves past counters below {@code counter}; true iff {@code counter} itself is held. */
    boolean skipTo(long counter) {
      while (!exhausted && current < counter) {
        advance();
      }
      return !exhausted && current == counter;
    }

    private void advance() {
      exhausted = !counters.hasNext();
      if (!exhausted) {
        current = counters.next();
      }
    }
  }

  @Override
  public Orswot<E> copy() {
    Orswot<E> copy = new Orswot<>(codec, context.copy());
    copy.entries.putAll(entries); // the dot arrays are never changed in place
    index.forEach((r, byCounter) -> copy.index.put(r, new TreeMap<>(byCounter)));
    return copy;
  }

  @Override
  public CrdtType type() {
    return CrdtType.ORSWOT;
  }

  /** The internal context, for the codec; not to be changed. */
  CausalContext contextView() {
    return context;
  }

  /** The internal entries, for the codec; not to be changed. */
  Map<E, Dot[]> entriesView() {
    return Collections.unmodifiableMap(entries);
  }

  /** An empty set over {@code context}, for the decoder to fill with {@link #putDot}. */
  static <E> Orswot<E> ofContext(ElementCodec<E> codec, CausalContext context) {
    return new Orswot<>(codec, context);
  }

  /** Whether the dot {@code replica:counter} is held here (by any element). */
  boolean holds(ReplicaId replica, long counter) {
    TreeMap<Long, E> byCounter = index.get(replica);
    return byCounter != null && byCounter.containsKey(counter);
  }

  /** Gives {@code element} the dot; the caller makes sure the context has it. */
  void putDot(E element, Dot dot) {
    Dot[] old = entries.get(element);
    Dot[] dots;
    if (old == null) {
      dots = new Dot[] {dot};
    } else {
      int at = -Arrays.binarySearch(old, dot) - 1;
      dots = new Dot[old.length + 1];
      System.arraycopy(old, 0, dots, 0, at);
      dots[at] = dot;
      System.arraycopy(old, at, dots, at + 1, old.length - at);
    }
    entries.put(element, dots);
    index.computeIfAbsent(dot.replica(), r -> new TreeMap<>()).put(dot.counter(), element);
  }

  /** A delta that removes exactly {@code dots} (null: none). */
  private Orswot<E> removal(Dot[] dots) {
    Orswot<E> delta = new Orswot<>(codec);
    if (dots != null) {
      for (Dot dot : dots) {
        delta.context.add(dot);
      }
    }
    return delta;
  }

  private void removeDot(Dot dot) {
    TreeMap<Long, E> byCounter = index.get(dot.replica());
    E element = byCounter.remove(dot.counter());
    if (byCounter.isEmpty()) {
      index.remove(dot.replica());
    }
    dropFromEntries(element, dot);
  }

  private void dropFromEntries(E element, Dot dot) {
    Dot[] old = entries.get(element);
    if (old.length == 1) {
      entries.remove(element);
      return;
    }
    int at = Arrays.binarySearch(old, dot);
    Dot[] dots = new Dot[old.length - 1];
    System.arraycopy(old, 0, dots, 0, at);
    System.arraycopy(old, at + 1, dots, at, dots.length - at);
    entries.put(element, dots);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Orswot<?> other)
        || !context.equals(other.context)
        || entries.size() != other.entries.size()) {
      return false;
    }
    for (Map.Entry<E, Dot[]> e : entries.entrySet()) {
      if (!Arrays.equals(e.getValue(), other.entries.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = context.hashCode();
    for (Map.Entry<E, Dot[]> e : entries.entrySet()) {
      h += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    return "Orswot{" + new TreeMap<>(stringKeyed()) + " over " + context + "}";
  }

  private Map<String, String> stringKeyed() {
    Map<String, String> out = new HashMap<>();
    entries.forEach((e, dots) -> out.put(String.valueOf(e), Arrays.toString(dots)));
    return out;
  }
}
