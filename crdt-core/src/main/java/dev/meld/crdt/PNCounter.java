package dev.meld.crdt;

import java.util.Objects;

/**
 * A counter that goes up and down and can be reset, with observed-reset semantics: a reset
 * subtracts exactly what the resetting replica had observed, so increments concurrent with the
 * reset survive it.
 *
 * <p>Four vectors of slots: P (increments) and N (decrements) per replica, as two {@link
 * GCounter}s would hold them, and RP and RN, the P and N a reset had observed. The value is
 * {@code sum(max(0, P[r] - RP[r])) - sum(max(0, N[r] - RN[r]))}. Merging takes the pointwise max
 * of all four.
 */
public final class PNCounter implements Crdt<PNCounter> {
  /*
   * Worked example. Replica a increments by 5 (P={a:5}) and ships it to b. Then, concurrently, b
   * resets (RP := P = {a:5}) and a increments by 2 (P={a:7}). After both merge: P={a:7}, RP={a:5},
   * value = 7 - 5 = 2: the reset cancelled the 5 it saw, and the concurrent 2 survives. RP[r] <=
   * P[r] always holds, as RP only ever copies some P, and both merge by max.
   */
  private final VersionVector p;
  private final VersionVector n;
  private final VersionVector rp;
  private final VersionVector rn;

  public PNCounter() {
    this(new VersionVector(), new VersionVector(), new VersionVector(), new VersionVector());
  }

  private PNCounter(VersionVector p, VersionVector n, VersionVector rp, VersionVector rn) {
    this.p = p;
    this.n = n;
    this.rp = rp;
    this.rn = rn;
  }

  /** Builds a counter from its vectors; the decoder has checked that RP <= P and RN <= N. */
  static PNCounter ofCanonical(
      VersionVector p, VersionVector n, VersionVector rp, VersionVector rn) {
    return new PNCounter(p, n, rp, rn);
  }

  /**
   * Adds {@code amount} at {@code replica}.
   *
   * @param amount {@code >= 1}
   * @return the delta: a counter holding just this replica's new P slot
   * @throws ArithmeticException if the slot or the value would overflow (nothing changes)
   */
  public PNCounter increment(ReplicaId replica, long amount) {
    return count(replica, amount, true);
  }

  /**
   * Subtracts {@code amount} at {@code replica}.
   *
   * @param amount {@code >= 1}
   * @return the delta: a counter holding just this replica's new N slot
   * @throws ArithmeticException if the slot or the value would overflow (nothing changes)
   */
  public PNCounter decrement(ReplicaId replica, long amount) {
    return count(replica, amount, false);
  }

  /**
   * Resets the counter to zero as {@code replica} sees it: records every increment and decrement
   * observed so far (RP := P, RN := N), so the local value reads 0 while increments and decrements
   * this replica has not seen yet still count once they arrive. The replica id names who acts; the
   * recorded state does not depend on it.
   *
   * @return the delta: a counter holding the observed P and N as RP and RN
   */
  public PNCounter reset(ReplicaId replica) {
    Objects.requireNonNull(replica, "replica");
    PNCounter delta = new PNCounter();
    delta.p.mergeFrom(p);
    delta.n.mergeFrom(n);
    delta.rp.mergeFrom(p);
    delta.rn.mergeFrom(n);
    mergeFrom(delta);
    return delta;
  }

  /**
   * The increments minus the decrements not cancelled by a reset.
   *
   * @throws ArithmeticException if the value does not fit in a long
   */
  public long value() {
    return Math.subtractExact(live(p, rp), live(n, rn));
  }

  @Override
  public boolean mergeFrom(PNCounter other) {
    boolean changed = p.mergeFrom(other.p);
    changed |= n.mergeFrom(other.n);
    changed |= rp.mergeFrom(other.rp);
    changed |= rn.mergeFrom(other.rn);
    return changed;
  }

  /** As {@link Crdt#merge}, built directly rather than as a copy merged into. */
  @Override
  public PNCounter merge(PNCounter other) {
    return new PNCounter(p.merge(other.p), n.merge(other.n), rp.merge(other.rp), rn.merge(other.rn));
  }

  @Override
  public PNCounter copy() {
    return new PNCounter(p.copy(), n.copy(), rp.copy(), rn.copy());
  }

  @Override
  public CrdtType type() {
    return CrdtType.PNCOUNTER;
  }

  /** The four internal vectors P, N, RP, RN, for the codec; not to be changed. */
  VersionVector[] vectorsView() {
    return new VersionVector[] {p, n, rp, rn};
  }

  private PNCounter count(ReplicaId replica, long amount, boolean up) {
    Objects.requireNonNull(replica, "replica");
    if (amount < 1) {
      throw new IllegalArgumentException("amount: " + amount + " (expected: >= 1)");
    }
    PNCounter delta = new PNCounter();
    (up ? delta.p : delta.n).put(replica, Math.addExact((up ? p : n).get(replica), amount));
    merge(delta).value(); // throws before anything changes if the value would overflow
    mergeFrom(delta);
    return delta;
  }

  /** sum over r of max(0, counts[r] - cancelled[r]), exactly. */
  private static long live(VersionVector counts, VersionVector cancelled) {
    long total = 0;
    for (int i = 0; i < counts.size(); i++) {
      long live = counts.counterAt(i) - cancelled.get(counts.replicaAt(i));
      total = Math.addExact(total, Math.max(0, live));
    }
    return total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PNCounter other
        && p.equals(other.p)
        && n.equals(other.n)
        && rp.equals(other.rp)
        && rn.equals(other.rn);
  }

  @Override
  public int hashCode() {
    return ((p.hashCode() * 31 + n.hashCode()) * 31 + rp.hashCode()) * 31 + rn.hashCode();
  }

  @Override
  public String toString() {
    return "PNCounter{P=" + p + ", N=" + n + ", RP=" + rp + ", RN=" + rn + "}";
  }
}
