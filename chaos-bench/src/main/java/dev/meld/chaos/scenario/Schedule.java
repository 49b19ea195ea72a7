package dev.meld.chaos.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A scenario's faults for one seed: every lane's steps, and per lane the seed of the random source
 * its nemeses pick targets with. The same scenario, seed and phase length give the same schedule
 * and, on the same members, the same targets.
 *
 * @param phaseMillis the length of the fault phase it was planned for
 * @param steps every step, by time, then lane
 * @param targetSeeds per lane, the seed of the {@link Random} its nemeses pick targets with
 */
public record Schedule(long phaseMillis, List<Step> steps, List<Long> targetSeeds) {

  public Schedule {
    steps = List.copyOf(steps);
    targetSeeds = List.copyOf(targetSeeds);
  }

  /** Plans {@code lanes} over a fault phase of {@code phaseMillis}, from {@code seed}. */
  public static Schedule plan(List<Lane> lanes, long phaseMillis, long seed) {
    if (phaseMillis < 1) {
      throw new IllegalArgumentException("phaseMillis: " + phaseMillis + " (expected: >= 1)");
    }
    Random master = new Random(seed);
    List<Step> steps = new ArrayList<>();
    List<Long> targetSeeds = new ArrayList<>();
    for (int i = 0; i < lanes.size(); i++) {
      steps.addAll(lanes.get(i).plan(i, phaseMillis, new Random(master.nextLong())));
      targetSeeds.add(master.nextLong());
    }
    steps.sort(Comparator.comparingLong(Step::atMillis).thenComparingInt(Step::lane));
    return new Schedule(phaseMillis, steps, targetSeeds);
  }

  /** How many lanes it has. */
  public int lanes() {
    return targetSeeds.size();
  }

  /** The steps of lane {@code lane}, in order. */
  public List<Step> lane(int lane) {
    return steps.stream().filter(s -> s.lane() == lane).toList();
  }

  /** The nemesis names it starts, in order of first use. */
  public List<String> nemeses() {
    return steps.stream().map(Step::nemesis).distinct().toList();
  }
}
