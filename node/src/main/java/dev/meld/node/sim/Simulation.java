package dev.meld.node.sim;

import dev.meld.node.Misbehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One seeded run of the simulator, start to verdict:
 *
 * <ol>
 *   <li>the {@link Scenario} of the seed: nodes, clients, duration, faults, mode;
 *   <li>clients ({@link Workload}) and faults ({@link Nemesis}) run for the scenario's duration;
 *   <li>every fault heals ({@link SimCluster#heal()}), and the cluster runs until it is quiet (one
 *       root digest, empty backlogs, nobody draining), at most {@link #QUIESCE_BOUND_MILLIS};
 *   <li>every member reads every key ({@code final-read}), and the history is judged ({@link
 *       HistoryChecks}) along with what the cluster reported on the way (replica exceptions,
 *       unexpected error replies) and whatever kept it from quieting.
 * </ol>
 */
public final class Simulation {

  /** The most virtual time the cluster gets after the heal to become quiet. */
  public static final long QUIESCE_BOUND_MILLIS = 20_000;

  /** How often, in virtual time, quiescence is checked after the heal. */
  static final long SETTLE_STEP_MILLIS = 100;

  private Simulation() {}

  /**
   * Runs the scenario of {@code seed} with {@code misbehaviors} switched on, tracing to {@code
   * trace}.
   */
  public static SimResult run(long seed, Set<Misbehavior> misbehaviors, Trace trace) {
    Scenario scenario = Scenario.of(seed);
    SimConfig config = scenario.config().withMisbehaviors(misbehaviors);
    trace.note(0, scenario.toString());
    SimHistory history = new SimHistory();
    SimCluster cluster = SimCluster.start(config, history, trace);
    SplittableRandom random = new SplittableRandom(seed ^ 0x0C11E27L);
    Workload workload = new Workload(cluster, random.split(), Scenario.COUNTERS, Scenario.SETS, 40);
    workload.start(scenario.clients(), scenario.runMillis());
    new Nemesis(cluster, random.split(), scenario).schedule();
    cluster.advanceTo(scenario.runMillis());
    cluster.heal();

    long clientsDone = scenario.runMillis() + config.clientTimeoutMillis();
    long deadline = scenario.runMillis() + QUIESCE_BOUND_MILLIS;
    long settled = -1;
    while (cluster.now() < deadline) {
      cluster.advance(SETTLE_STEP_MILLIS);
      if (cluster.now() >= clientsDone && cluster.quiescent()) {
        settled = cluster.now();
        break;
      }
    }
    List<Violation> violations = new ArrayList<>();
    if (settled < 0) {
      violations.addAll(Quiescence.problems(cluster, cluster.members()));
    }
    cluster.finalReads(Scenario.COUNTERS, Scenario.SETS);
    violations.addAll(0, cluster.failures());
    violations.addAll(unexpectedErrors(history.ops()));
    violations.addAll(HistoryChecks.check(history.ops()));
    trace.note(cluster.now(), violations.size() + " violations, settled at " + settled);
    return new SimResult(
        scenario,
        misbehaviors,
        violations,
        trace.fingerprint(),
        cluster.events(),
        history.size(),
        settled);
  }

  /**
   * Error replies the workload never provokes: anything but READONLY (a draining node) and a
   * refused connection (a node without a process) is a replica bug.
   */
  static List<Violation> unexpectedErrors(List<SimOp> history) {
    List<Violation> found = new ArrayList<>();
    for (SimOp op : history) {
      if (op.type() == SimOp.Type.FAIL
          && op.error() != null
          && !op.error().startsWith("READONLY")
          && !op.error().equals("connection refused")) {
        found.add(
            new Violation(
                Violation.Kind.FAILURE,
                op.key(),
                "unexpected error reply: " + op.error(),
                List.of(op)));
      }
    }
    return found;
  }
}
