package dev.meld.antientropy;

import java.util.SplittableRandom;

/**
 * A test lattice on bytes: a state is a set of byte values encoded canonically as its members in
 * ascending unsigned order, and merge is set union. Commutative, associative and idempotent, and
 * unlike "max" both sides' contributions survive a merge, so a repair that only went one way shows.
 */
final class ByteSetLattice {

  private ByteSetLattice() {}

  static byte[] merge(byte[] a, byte[] b) {
    boolean[] present = new boolean[256];
    for (byte x : a) {
      present[x & 0xff] = true;
    }
    for (byte x : b) {
      present[x & 0xff] = true;
    }
    int n = 0;
    for (boolean p : present) {
      n += p ? 1 : 0;
    }
    byte[] out = new byte[n];
    for (int v = 0, i = 0; v < 256; v++) {
      if (present[v]) {
        out[i++] = (byte) v;
      }
    }
    return out;
  }

  /** A random non-empty state of up to {@code maxMembers} members. */
  static byte[] random(SplittableRandom random, int maxMembers) {
    byte[] members = new byte[1 + random.nextInt(maxMembers)];
    for (int i = 0; i < members.length; i++) {
      members[i] = (byte) random.nextInt(256);
    }
    return merge(members, new byte[0]);
  }
}
