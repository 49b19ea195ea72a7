package dev.meld.crdt;

/**
 * Checks over arrays of replica ids sorted by {@link ReplicaId} order without repeats, the row
 * names of {@link VersionVector} and {@link PNCounter}: whether two name the same replicas, and
 * whether one names every replica of another.
 */
final class ReplicaArrays {

  private ReplicaArrays() {}

  /** Whether {@code a} and {@code b} name the same replicas (in the same, sorted order). */
  static boolean same(ReplicaId[] a, ReplicaId[] b) {
    if (a == b) {
      return true;
    }
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i])) {
        return false;
      }
    }
    return true;
  }

  /** Whether every replica of {@code b} is in {@code a}: one pass over both, as they are sorted. */
  static boolean covers(ReplicaId[] a, ReplicaId[] b) {
    if (same(a, b)) {
      return true;
    }
    int i = 0;
    for (ReplicaId replica : b) {
      while (i < a.length && a[i].compareTo(replica) < 0) {
        i++;
      }
      if (i == a.length || !a[i].equals(replica)) {
        return false;
      }
      i++;
    }
    return true;
  }
}
