package dev.meld.chaos.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A sequence of faults, one at a time: pick a nemesis from {@code nemeses}, start it, hold it for
 * about {@code faultMillis}, stop it, stay calm for about {@code calmMillis}, and again until the
 * fault phase ends, or until less than half a fault's time is left (the first fault always runs).
 * Durations vary by ±25 % (seeded). One-off nemeses (a wipe, a clock strobe) have no stop: their
 * fault time is how long they take by themselves, and the calm follows. Several lanes run side by side, so a scenario can mix, for
 * example, network faults with process faults (Jepsen's combined nemesis, staggered).
 *
 * @param nemeses the nemesis names to pick from (uniformly)
 * @param offsetMillis when the lane's first fault starts, before jitter
 * @param faultMillis how long a fault is held, before jitter
 * @param calmMillis how long the lane rests after a fault, before jitter
 */
public record Lane(List<String> nemeses, long offsetMillis, long faultMillis, long calmMillis) {

  public Lane {
    nemeses = List.copyOf(nemeses);
    if (nemeses.isEmpty()) {
      throw new IllegalArgumentException("nemeses: [] (expected: at least one)");
    }
    for (String n : nemeses) {
      if (NemesisCatalog.entry(n).copies()) {
        throw new IllegalArgumentException(
            "nemesis: \"" + n + "\" (expected: a nemesis a lane may pick at random; " + n
                + " is a timeline step naming its targets)");
      }
    }
    if (offsetMillis < 0 || faultMillis < 1 || calmMillis < 1) {
      throw new IllegalArgumentException(
          "offsetMillis: "
              + offsetMillis
              + ", faultMillis: "
              + faultMillis
              + ", calmMillis: "
              + calmMillis
              + " (expected: offset >= 0, fault and calm >= 1)");
    }
  }

  /** A lane of one nemesis. */
  public static Lane of(String nemesis, long offsetMillis, long faultMillis, long calmMillis) {
    return new Lane(List.of(nemesis), offsetMillis, faultMillis, calmMillis);
  }

  /** This lane with every duration multiplied by {@code factor} (the simulator runs faster). */
  public Lane scaled(double factor) {
    return new Lane(
        nemeses,
        Math.round(offsetMillis * factor),
        Math.max(1, Math.round(faultMillis * factor)),
        Math.max(1, Math.round(calmMillis * factor)));
  }

  /**
   * The lane's steps within a fault phase of {@code phaseMillis}: every fault started in the phase
   * is stopped in it too (at its end at the latest).
   *
   * @param index this lane's number, recorded in its steps
   */
  public List<Step> plan(int index, long phaseMillis, Random random) {
    List<Step> steps = new ArrayList<>();
    long t = jitter(offsetMillis, random);
    // At most one fault per millisecond of the phase: a bound, whatever the durations.
    for (long round = 0; round < phaseMillis && t < phaseMillis; round++) {
      String nemesis = nemeses.get(random.nextInt(nemeses.size()));
      if (round > 0 && t + faultMillis / 2 > phaseMillis) {
        break; // too little of the phase left for this fault to matter; the first always runs
      }
      steps.add(new Step(t, index, nemesis, Step.Action.START));
      long end = t + Math.max(1, jitter(faultMillis, random));
      if (!NemesisCatalog.entry(nemesis).oneOff()) {
        end = Math.min(phaseMillis, end);
        steps.add(new Step(end, index, nemesis, Step.Action.STOP));
      }
      t = end + Math.max(1, jitter(calmMillis, random));
    }
    return steps;
  }

  private static long jitter(long millis, Random random) {
    return Math.round(millis * (0.75 + 0.5 * random.nextDouble()));
  }
}
