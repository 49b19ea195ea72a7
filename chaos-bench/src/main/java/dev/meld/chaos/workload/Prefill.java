package dev.meld.chaos.workload;

import java.util.List;

/**
 * A set workload's pre-fill: before the warm-up, each of its first {@code sets} sets ({@code s0
 * ..}) is filled with {@code members} members through one node, so that the faults strike sets too
 * large to ship in one message. Set {@code i} gets the elements {@code i * members .. (i + 1) *
 * members - 1}; the workload's own elements start after the last of them, so no element is added
 * twice.
 *
 * <p>Members go {@value #CHUNK} to an {@code SADD} command: a command is one write, so a chunk must
 * stay well under the node's largest record (1 MiB by default; a thousand short decimal members
 * with their dots are tens of kilobytes), while 100,000 members still take only a hundred commands.
 *
 * @param members members per pre-filled set
 * @param sets how many of the workload's sets are pre-filled, from {@code s0}
 */
public record Prefill(int members, int sets) {

  /** Members per {@code SADD} command. */
  public static final int CHUNK = 1_000;

  /** The most members per set: the checkers hold one entry per element in memory. */
  public static final int MAX_MEMBERS = 10_000_000;

  public Prefill {
    if (members < 1 || members > MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "prefill.members: " + members + " (expected: 1.." + MAX_MEMBERS + ")");
    }
    if (sets < 1 || sets > Workloads.MAX_KEYS) {
      throw new IllegalArgumentException(
          "prefill.sets: " + sets + " (expected: 1.." + Workloads.MAX_KEYS + ")");
    }
  }

  /** The first element of set number {@code set}. */
  public long firstElement(int set) {
    return (long) set * members;
  }

  /** The first element the workload adds itself: one past the last pre-filled one. */
  public long workloadElements() {
    return (long) sets * members;
  }

  /** The pre-filled keys among a workload's {@code keys}: the first {@link #sets}. */
  public List<String> keys(List<String> keys) {
    if (sets > keys.size()) {
      throw new IllegalArgumentException(
          "prefill.sets: " + sets + " (expected: at most the workload's " + keys.size() + " sets)");
    }
    return keys.subList(0, sets);
  }

  /** How many {@code SADD} commands fill one set. */
  public int chunks() {
    return (members + CHUNK - 1) / CHUNK;
  }

  /** The elements of chunk {@code chunk} of set {@code set}, in order. */
  public List<Long> chunk(int set, int chunk) {
    if (chunk < 0 || chunk >= chunks()) {
      throw new IllegalArgumentException("chunk: " + chunk + " (expected: 0.." + (chunks() - 1) + ")");
    }
    long from = firstElement(set) + (long) chunk * CHUNK;
    int size = (int) Math.min(CHUNK, firstElement(set) + members - from);
    Long[] elements = new Long[size];
    for (int i = 0; i < size; i++) {
      elements[i] = from + i;
    }
    return List.of(elements);
  }
}
