package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.GlobPattern;
import dev.meld.node.command.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of {@code SSCAN} over a set kept in pieces. Members are stored in order of a 63-bit hash
 * of the element ({@link SetPieces}), so the cursor is simply "the next member's hash + 1" (0 is
 * both the start and the end, as in Redis). A step resumes at a hash, not at a position, so a
 * member present for the whole iteration is returned at least once whatever is added or removed
 * meanwhile; only two members with the same 63-bit hash can make one come back twice.
 */
final class SetScanStep {

  /** Cursors above this name no hash: the iteration is over. */
  private static final long LAST_CURSOR = Long.MIN_VALUE; // 2^63 as unsigned: hash 2^63 - 1, + 1

  private SetScanStep() {}

  /** The step, or an error if the pattern is beyond what {@link GlobPattern} takes. */
  static Reply run(PiecedSet set, Command.SetScan scan) {
    if (scan.match() != null && scan.match().length() > GlobPattern.MAX_PATTERN_BYTES) {
      return new Reply.Error(
          Reply.Code.TOO_LARGE,
          "pattern length: "
              + scan.match().length()
              + " (expected: <= "
              + GlobPattern.MAX_PATTERN_BYTES
              + ")");
    }
    long cursor = scan.cursor();
    if (set == null || Long.compareUnsigned(cursor, LAST_CURSOR) > 0) {
      return new Reply.Scan(0, List.of());
    }
    long fromHash = cursor == 0 ? 0 : cursor - 1;
    GlobPattern match = scan.match() == null ? null : GlobPattern.compile(scan.match());
    List<Bytes> found = new ArrayList<>();
    int[] examined = {0};
    long[] next = {0};
    set.members(
        fromHash,
        (hash, element, dots) -> {
          if (examined[0] == scan.count()) {
            next[0] = hash + 1; // this member starts the next step
            return false;
          }
          examined[0]++;
          if (match == null || match.matches(element)) {
            found.add(element);
          }
          return true;
        });
    return new Reply.Scan(next[0], found);
  }
}
