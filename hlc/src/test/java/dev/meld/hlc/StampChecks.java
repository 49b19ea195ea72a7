package dev.meld.hlc;

import java.util.HashMap;
import java.util.Map;

/**
 * Checks over recorded stamp sequences; each throws an {@link AssertionError} naming the offending
 * stamps.
 */
final class StampChecks {

  private StampChecks() {}

  /** Each stamp is strictly greater than the one before it. */
  static void strictlyIncreasing(String sequence, long[] stamps) {
    for (int i = 1; i < stamps.length; i++) {
      if (stamps[i] <= stamps[i - 1]) {
        throw new AssertionError(
            sequence
                + ": stamp "
                + i
                + " "
                + HlcTimestamp.toString(stamps[i])
                + " is not above stamp "
                + (i - 1)
                + " "
                + HlcTimestamp.toString(stamps[i - 1]));
      }
    }
  }

  /** No stamp occurs twice, within one sequence or across sequences. */
  static void allDistinct(long[]... sequences) {
    Map<Long, String> seen = new HashMap<>();
    for (int s = 0; s < sequences.length; s++) {
      for (int i = 0; i < sequences[s].length; i++) {
        String where = "sequence " + s + " index " + i;
        String earlier = seen.putIfAbsent(sequences[s][i], where);
        if (earlier != null) {
          throw new AssertionError(
              "stamp "
                  + HlcTimestamp.toString(sequences[s][i])
                  + " issued twice: at "
                  + earlier
                  + " and at "
                  + where);
        }
      }
    }
  }
}
