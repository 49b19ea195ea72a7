package dev.meld.antientropy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Subtracts this side's {@link CodedSymbols} from the peer's, batch by batch, and peels: a cell
 * holding exactly one item (count {@code ±1} modulo 256, the tag's checksum matching the hash, and
 * the item's own walk passing through the cell) names a member only one side holds in that
 * version; removing it from every cell it adds to may make others pure. Once every cell received
 * is empty, the items peeled are the whole difference: with the peer's sign, members (versions)
 * only the peer holds; with ours, members only this side holds.
 *
 * <p>Symbols are untrusted. Peeling ends (at most {@link #maxItems} items, one item never twice),
 * and input that no honest peer could send (an item peeled twice, more items than the bound)
 * makes the decoder {@link State#FAILED}, never {@link State#DECODED}. A decode an adversary
 * crafted can still claim a wrong difference; what follows a decode (shipping the slices of the
 * named hashes both ways) is correct for any hashes, so a wrong claim costs a missed repair that a
 * later session makes, not a wrong state.
 */
public final class SketchDecoder {

  /** Where decoding stands after a batch. */
  public enum State {
    /** Some cell is not empty: more symbols may decode it. */
    MORE,
    /** Every cell received is empty: the items peeled are the difference. */
    DECODED,
    /** The symbols are inconsistent: no honest peer sends them. */
    FAILED
  }

  private final CodedSymbols mine;
  private final int maxItems;
  private int size;
  private int[] counts = new int[0];
  private long[] hashSums = new long[0];
  private long[] tagSums = new long[0];
  private final List<Peeled> peeled = new ArrayList<>();
  private final Set<Item> seen = new HashSet<>();
  private State state = State.MORE;

  /** One item peeled, with its walk parked at its first cell not received yet. */
  private record Peeled(long hash, long tag, int sign, CodedSymbols.IndexWalk walk) {}

  private record Item(long hash, long tag) {}

  /**
   * @param mine this side's symbols: at least as many as the peer may send
   * @param maxItems the most items a decode may name before it is taken as hostile
   */
  public SketchDecoder(CodedSymbols mine, int maxItems) {
    this.mine = mine;
    this.maxItems = maxItems;
  }

  /** How many of the peer's symbols were received. */
  public int size() {
    return size;
  }

  public State state() {
    return state;
  }

  /**
   * Takes the peer's symbols {@code [from, from + hashSums.length)}, which must follow the ones
   * received, and peels what it can.
   *
   * @param counts each cell's count modulo 256
   * @throws IllegalArgumentException if the batch does not follow the symbols received, the arrays
   *     differ in length, or it goes beyond this side's symbols (checked before allocating)
   */
  public State add(int from, int[] counts, long[] hashSums, long[] tagSums) {
    int n = hashSums.length;
    if (from != size) {
      throw new IllegalArgumentException("symbols from " + from + " (expected: from " + size + ")");
    }
    if (counts.length != n || tagSums.length != n) {
      throw new IllegalArgumentException(
          "symbol arrays: "
              + counts.length
              + ", "
              + n
              + ", "
              + tagSums.length
              + " (expected: equal)");
    }
    if (n > mine.size() - size) {
      throw new IllegalArgumentException(
          "symbols up to " + ((long) from + n) + " (expected: at most " + mine.size() + ")");
    }
    if (state == State.FAILED) {
      return state;
    }
    int end = size + n;
    this.counts = Arrays.copyOf(this.counts, end);
    this.hashSums = Arrays.copyOf(this.hashSums, end);
    this.tagSums = Arrays.copyOf(this.tagSums, end);
    ArrayDeque<Integer> candidates = new ArrayDeque<>();
    for (int i = size; i < end; i++) {
      if (counts[i - size] < 0 || counts[i - size] > 255) {
        throw new IllegalArgumentException("count: " + counts[i - size] + " (expected: 0..255)");
      }
      this.counts[i] = (counts[i - size] - mine.count(i)) & 0xff;
      this.hashSums[i] = hashSums[i - size] ^ mine.hashSum(i);
      this.tagSums[i] = tagSums[i - size] ^ mine.tagSum(i);
    }
    for (Peeled p : peeled) {
      CodedSymbols.IndexWalk walk = p.walk();
      for (int i = walk.index(); i < end; i = walk.next()) {
        apply(i, p.hash(), p.tag(), p.sign());
      }
    }
    for (int i = size; i < end; i++) {
      candidates.add(i);
    }
    size = end;
    peel(candidates);
    return state;
  }

  private void peel(ArrayDeque<Integer> candidates) {
    while (!candidates.isEmpty() && state != State.FAILED) {
      int i = candidates.poll();
      int count = counts[i];
      long hash = hashSums[i];
      long tag = tagSums[i];
      if ((count != 1 && count != 255) || !CodedSymbols.consistent(hash, tag)) {
        continue;
      }
      CodedSymbols.IndexWalk walk = new CodedSymbols.IndexWalk(hash, tag);
      List<Integer> cells = new ArrayList<>();
      for (int j = walk.index(); j < size; j = walk.next()) {
        cells.add(j);
      }
      if (!cells.contains(i)) {
        continue; // count and checksum match by chance: this item never adds to this cell
      }
      if (!seen.add(new Item(hash, tag)) || peeled.size() >= maxItems) {
        state = State.FAILED;
        return;
      }
      int sign = count == 1 ? 1 : -1;
      for (int j : cells) {
        apply(j, hash, tag, sign);
        candidates.add(j);
      }
      peeled.add(new Peeled(hash, tag, sign, walk));
    }
    if (state != State.FAILED) {
      state = empty() ? State.DECODED : State.MORE;
    }
  }

  private void apply(int i, long hash, long tag, int sign) {
    counts[i] = (counts[i] - sign) & 0xff;
    hashSums[i] ^= hash;
    tagSums[i] ^= tag;
  }

  private boolean empty() {
    for (int i = 0; i < size; i++) {
      if (counts[i] != 0 || hashSums[i] != 0 || tagSums[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The member hashes of the items peeled, sorted (unsigned) and distinct: members one side holds
   * and the other lacks, or holds in another version. Complete once {@link State#DECODED}.
   */
  public long[] differingHashes() {
    return peeled.stream()
        .mapToLong(Peeled::hash)
        .boxed()
        .sorted(Long::compareUnsigned)
        .distinct()
        .mapToLong(Long::longValue)
        .toArray();
  }

  /** The hashes of items peeled on the peer's side ({@code theirs}) or on ours. */
  public long[] hashes(boolean theirs) {
    return peeled.stream()
        .filter(p -> (p.sign() == 1) == theirs)
        .mapToLong(Peeled::hash)
        .sorted()
        .toArray();
  }
}
