package dev.meld.node.sim;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Schedules a run's faults on a {@link SimCluster}: each starts at a random time during the
 * workload and most end after a random duration (a partition heals, a crashed node restarts, a
 * paused one resumes, a skewed clock comes back, a lossy network calms down). Which node a fault
 * hits is drawn when it strikes, from the members at that moment. Faults may overlap.
 *
 * <p>Kinds and weights per mode ({@link Scenario.Mode}): partition 3, clean stop 2, pause 2, clock
 * skew 1, clock jump 1, lossy network 1, and in {@code FULL} mode also crash 3, wipe 2, join 1,
 * leave 1. A crash is not a {@code LOG_ONLY} fault: the restarted node acts under a new incarnation
 * and drops its old incarnation's log (the replica's design), so only anti-entropy can deliver what
 * that log still held.
 */
final class Nemesis {

  private static final List<String> LOG_ONLY_KINDS =
      List.of(
          "partition",
          "partition",
          "partition",
          "stop",
          "stop",
          "pause",
          "pause",
          "skew",
          "jump",
          "lossy");

  private static final List<String> EXTRA_FULL_KINDS =
      List.of("crash", "crash", "crash", "wipe", "wipe", "join", "leave");

  private static final NetworkProfile LOSSY = new NetworkProfile(1, 40, 0.25, 0.1);

  private final SimCluster cluster;
  private final RandomGenerator random;
  private final Scenario scenario;

  Nemesis(SimCluster cluster, RandomGenerator random, Scenario scenario) {
    this.cluster = cluster;
    this.random = random;
    this.scenario = scenario;
  }

  /** Schedules {@link Scenario#faults()} faults within the run. */
  void schedule() {
    long latest = Math.max(scenario.runMillis() - 300, 201);
    for (int i = 0; i < scenario.faults(); i++) {
      long at = 200 + random.nextLong(latest - 200);
      long duration = 100 + random.nextLong(1_400);
      String kind = kind();
      cluster.at(at, () -> strike(kind, duration));
    }
  }

  private String kind() {
    int n = LOG_ONLY_KINDS.size();
    if (scenario.mode() == Scenario.Mode.FULL) {
      int pick = random.nextInt(n + EXTRA_FULL_KINDS.size());
      return pick < n ? LOG_ONLY_KINDS.get(pick) : EXTRA_FULL_KINDS.get(pick - n);
    }
    return LOG_ONLY_KINDS.get(random.nextInt(n));
  }

  private void strike(String kind, long duration) {
    List<String> members = cluster.members();
    String node = members.get(random.nextInt(members.size()));
    switch (kind) {
      case "partition":
        String name = Grudges.NAMES.get(random.nextInt(Grudges.NAMES.size()));
        if (members.size() < 3 && (name.equals("bridge") || name.equals("majorities-ring"))) {
          name = "halves";
        }
        Grudge grudge = Grudges.named(name, members, random);
        cluster.partition(grudge);
        later(
            duration,
            () -> {
              if (cluster.grudge().equals(grudge)) {
                cluster.partition(Grudge.none());
              }
            });
        break;
      case "crash":
        cluster.crash(node);
        later(duration, () -> cluster.restart(node));
        break;
      case "stop":
        cluster.stop(node);
        later(duration, () -> cluster.restart(node));
        break;
      case "pause":
        cluster.pause(node);
        later(duration, () -> cluster.resume(node));
        break;
      case "skew":
        cluster.skewClock(node, signed(100, 3_000));
        later(duration, () -> cluster.skewClock(node, 0));
        break;
      case "jump":
        cluster.jumpClock(node, signed(100, 5_000));
        break;
      case "lossy":
        cluster.setNetwork(LOSSY);
        later(duration, () -> cluster.setNetwork(scenario.network()));
        break;
      case "wipe":
        cluster.wipe(node);
        break;
      case "join":
        if (members.size() < 7) {
          cluster.join();
        }
        break;
      case "leave":
        if (members.size() > 3) {
          cluster.leave(node, 1_500);
        }
        break;
      default:
        throw new IllegalStateException("fault kind: " + kind);
    }
  }

  private long signed(long min, long max) {
    long magnitude = min + random.nextLong(max - min + 1);
    return random.nextBoolean() ? magnitude : -magnitude;
  }

  private void later(long delay, Runnable action) {
    cluster.queue().after(delay, action);
  }
}
