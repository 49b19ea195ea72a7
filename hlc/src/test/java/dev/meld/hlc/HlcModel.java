package dev.meld.hlc;

/**
 * The reference for {@link HybridLogicalClock}: the textbook algorithm of Kulkarni et al. 2014
 * (Fig. 5) with the two fields {@code l} and {@code c} kept apart and its case analysis written
 * out, plus Meld's two additions: a full counter borrows the next millisecond, and a remote beyond
 * {@code wall + maxDrift} is treated as a remote at exactly that bound that every local counter
 * beats. Sequential, not thread-safe: only the tests use it.
 */
final class HlcModel {

  private final long maxDrift;
  private long l;
  private long c;
  private long clamps;

  HlcModel(long maxDrift, long highWaterMark) {
    this.maxDrift = maxDrift;
    this.l = HlcTimestamp.millis(highWaterMark);
    this.c = HlcTimestamp.logical(highWaterMark);
  }

  /** Send or local event at wall time {@code pt}. */
  long now(long pt) {
    long previousL = l;
    l = Math.max(previousL, pt);
    c = l == previousL ? c + 1 : 0;
    return stamp();
  }

  /** Receive event of {@code remote} at wall time {@code pt}. */
  long update(long pt, long remote) {
    long bound = Math.min(pt + maxDrift, HlcTimestamp.MAX_MILLIS);
    long ml = HlcTimestamp.millis(remote);
    long mc = HlcTimestamp.logical(remote);
    if (ml > bound) {
      clamps++;
      ml = bound;
      mc = -1; // below every counter: at the bound, the local counter alone decides
    }
    long previousL = l;
    l = Math.max(Math.max(previousL, ml), pt);
    if (l == previousL && l == ml) {
      c = Math.max(c, mc) + 1;
    } else if (l == previousL) {
      c = c + 1;
    } else if (l == ml) {
      c = mc + 1;
    } else {
      c = 0;
    }
    return stamp();
  }

  long clamps() {
    return clamps;
  }

  private long stamp() {
    if (c > HlcTimestamp.MAX_LOGICAL) {
      l++;
      c = 0;
    }
    return HlcTimestamp.pack(l, (int) c);
  }
}
