package dev.meld.chaos.scenario;

import dev.meld.chaos.workload.Prefill;
import dev.meld.chaos.workload.Workloads;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A seeded test plan: a workload on {@code nodes} nodes, a warm-up without faults, a fault phase in
 * which lanes of nemeses strike on a schedule drawn from the seed, then heal, quiesce (until the
 * nodes converge) and final reads on every node. The workload names the checkers that judge the
 * history; convergence is checked after every scenario. A set workload may first fill its sets
 * ({@link Prefill}), before the warm-up.
 *
 * <p>Durations are for real nodes; the simulator runs the same plan scaled down in virtual time.
 *
 * @param name e.g. {@code crash_restart}
 * @param description one line for {@code meld-chaos list} and the report
 * @param workload a {@link Workloads} name
 * @param nodes how many nodes it runs by default
 * @param lanes the fault lanes
 * @param warmUpMillis workload without faults before the first one
 * @param faultMillis the fault phase, workload running
 * @param timeline fixed steps beside the lanes (a scenario file's {@code timeline}): each entry's
 *     start and stop at the times written, on lanes numbered after {@code lanes}; no jitter
 * @param prefill sets filled before the warm-up (a scenario file's {@code prefill}), or null; its
 *     size is the same on every backend and is not scaled with the durations
 */
public record Scenario(
    String name,
    String description,
    String workload,
    int nodes,
    List<Lane> lanes,
    long warmUpMillis,
    long faultMillis,
    List<Step> timeline,
    Prefill prefill) {

  /** The shortest workload {@link #withWorkloadMillis} accepts. */
  public static final long MIN_WORKLOAD_MILLIS = 1_000;

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Workloads.named(workload, prefill);
    lanes = List.copyOf(lanes);
    timeline = List.copyOf(timeline);
    for (Step step : timeline) {
      NemesisCatalog.entry(step.nemesis());
      if (step.lane() < lanes.size()) {
        throw new IllegalArgumentException(
            "timeline step " + step + " (expected: a lane numbered after the " + lanes.size() + " lanes)");
      }
    }
    if (nodes < 1 || (lanes.isEmpty() && timeline.isEmpty()) || warmUpMillis < 0 || faultMillis < 1) {
      throw new IllegalArgumentException(
          "scenario "
              + name
              + ": nodes "
              + nodes
              + ", lanes "
              + lanes.size()
              + ", warm-up "
              + warmUpMillis
              + " ms, faults "
              + faultMillis
              + " ms (expected: nodes >= 1, a lane or a timeline, warm-up >= 0, faults >= 1 ms)");
    }
  }

  /** A scenario without a pre-fill. */
  public Scenario(
      String name,
      String description,
      String workload,
      int nodes,
      List<Lane> lanes,
      long warmUpMillis,
      long faultMillis,
      List<Step> timeline) {
    this(name, description, workload, nodes, lanes, warmUpMillis, faultMillis, timeline, null);
  }

  /** A scenario of lanes only. */
  public Scenario(
      String name,
      String description,
      String workload,
      int nodes,
      List<Lane> lanes,
      long warmUpMillis,
      long faultMillis) {
    this(name, description, workload, nodes, lanes, warmUpMillis, faultMillis, List.of(), null);
  }

  /** Warm-up plus fault phase: how long the workload runs. */
  public long workloadMillis() {
    return warmUpMillis + faultMillis;
  }

  /**
   * This scenario with the workload running {@code millis} in all: the warm-up keeps its share (at
   * most a fifth), the fault phase takes the rest.
   */
  public Scenario withWorkloadMillis(long millis) {
    if (millis < MIN_WORKLOAD_MILLIS) {
      throw new IllegalArgumentException(
          "time limit: " + millis + " ms (expected: >= " + MIN_WORKLOAD_MILLIS + " ms)");
    }
    long warmUp = Math.min(warmUpMillis, millis / 5);
    return new Scenario(
        name, description, workload, nodes, lanes, warmUp, millis - warmUp, timeline, prefill);
  }

  /** This scenario on {@code n} nodes. */
  public Scenario withNodes(int n) {
    return new Scenario(
        name, description, workload, n, lanes, warmUpMillis, faultMillis, timeline, prefill);
  }

  /**
   * This scenario with every duration multiplied by {@code factor} (the simulator's timers run
   * faster than a real node's, so it runs the plan scaled down in virtual time).
   */
  public Scenario scaled(double factor) {
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("factor: " + factor + " (expected: in (0, 1])");
    }
    return new Scenario(
        name,
        description,
        workload,
        nodes,
        lanes.stream().map(l -> l.scaled(factor)).toList(),
        Math.round(warmUpMillis * factor),
        Math.max(1, Math.round(faultMillis * factor)),
        timeline.stream()
            .map(st -> st.at(Math.round(st.atMillis() * factor)))
            .toList(),
        prefill);
  }

  /**
   * The fault schedule for {@code seed}: the lanes' plan, then the timeline's steps (a stop past
   * the phase moves to its end; a start past it is dropped with its stop).
   */
  public Schedule schedule(long seed) {
    Schedule planned = Schedule.plan(lanes, faultMillis, seed);
    if (timeline.isEmpty()) {
      return planned;
    }
    java.util.List<Step> steps = new java.util.ArrayList<>(planned.steps());
    java.util.List<Long> seeds = new java.util.ArrayList<>(planned.targetSeeds());
    java.util.Random targets = new java.util.Random(seed ^ 0x7E1E11E5L);
    int lastLane = timeline.stream().mapToInt(Step::lane).max().orElse(lanes.size() - 1);
    for (int lane = lanes.size(); lane <= lastLane; lane++) {
      seeds.add(targets.nextLong());
    }
    java.util.Set<Integer> dropped = new java.util.HashSet<>();
    for (Step st : timeline) {
      if (st.action() == Step.Action.START && st.atMillis() >= faultMillis) {
        dropped.add(st.lane());
      }
    }
    for (Step st : timeline) {
      if (!dropped.contains(st.lane())) {
        steps.add(st.atMillis() > faultMillis ? st.at(faultMillis) : st);
      }
    }
    steps.sort(java.util.Comparator.comparingLong(Step::atMillis).thenComparingInt(Step::lane));
    return new Schedule(faultMillis, steps, seeds);
  }

  /** Every nemesis its lanes may use. */
  public Set<String> nemeses() {
    Set<String> names = new LinkedHashSet<>();
    lanes.forEach(l -> names.addAll(l.nemeses()));
    timeline.forEach(st -> names.add(st.nemesis()));
    return names;
  }
}
