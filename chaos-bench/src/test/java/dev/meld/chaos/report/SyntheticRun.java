package dev.meld.chaos.report;

import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the history of a plausible counter run against a 5-node cluster: clients add and read
 * through their own node while the nemesis partitions, kills, pauses and skews clocks, so the
 * charts have something to show. Reads return what a correct counter may return, so the {@code
 * counter} checker finds the history valid. Deterministic for a seed.
 */
final class SyntheticRun {

  static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");
  static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  /** A fault the generator injects, as fractions of the run. */
  private record Fault(
      String start, String stop, double from, double to, Object value, String node) {}

  private static final List<Fault> FAULTS =
      List.of(
          new Fault(
              "start-partition",
              "stop-partition",
              0.12,
              0.25,
              ordered(
                  "n1", List.of("n4", "n5"),
                  "n2", List.of("n4", "n5"),
                  "n3", List.of("n4", "n5"),
                  "n4", List.of("n1", "n2", "n3"),
                  "n5", List.of("n1", "n2", "n3")),
              "n4"),
          new Fault("kill", "start", 0.36, 0.46, List.of("n3"), "n3"),
          new Fault("pause", "resume", 0.55, 0.6, List.of("n2"), "n2"),
          new Fault("bump-clock", "reset-clock", 0.7, 0.82, Map.of("n4", 5000), "n4"));

  private record Planned(
      long process, String f, long invoke, long complete, OpType type, String node) {}

  private SyntheticRun() {}

  /** About {@code ops} client operations by {@code clients} clients over {@code seconds}. */
  static History history(long seed, int clients, int ops, int seconds) {
    Random rnd = new Random(seed);
    long duration = seconds * SECOND;
    long cycle = duration * clients / Math.max(1, ops);
    List<Planned> plan = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String node = NODES.get(c % NODES.size());
      long t = (long) (rnd.nextDouble() * cycle);
      while (t < duration) {
        String f = rnd.nextInt(10) < 7 ? "add" : "read";
        long latency = (long) (cycle / 4.0 * Math.exp(rnd.nextGaussian() * 0.6)) + 1;
        OpType type = OpType.OK;
        Fault fault = faultAt(t, duration, node);
        if (fault != null) {
          switch (fault.start) {
            case "start-partition":
              latency *= 8;
              if (rnd.nextInt(100) < 15) {
                type = OpType.INFO;
                latency = 500 * MS;
              }
              break;
            case "kill":
              type = OpType.FAIL;
              latency = MS / 5 + rnd.nextInt((int) MS);
              break;
            case "pause":
              latency = Math.min(500 * MS, (long) (fault.to * duration) - t + latency);
              type = latency >= 500 * MS ? OpType.INFO : OpType.OK;
              break;
            default:
              break;
          }
        }
        plan.add(new Planned(c, f, t, t + latency, type, node));
        t += latency + (long) (-Math.log(1 - rnd.nextDouble()) * cycle * 0.75);
      }
      plan.add(new Planned(c, "final-read", t + SECOND, t + SECOND + 2 * MS, OpType.OK, node));
    }
    return build(plan, duration);
  }

  private static Fault faultAt(long t, long duration, String node) {
    for (Fault f : FAULTS) {
      if (t >= f.from * duration && t < f.to * duration && f.node.equals(node)) {
        return f;
      }
    }
    return null;
  }

  /** Orders every invocation, completion and nemesis op by time and gives reads their values. */
  private static History build(List<Planned> plan, long duration) {
    record Event(long time, int order, Planned planned, boolean invoke, Op nemesis) {}
    List<Event> events = new ArrayList<>(plan.size() * 2 + 16);
    for (Planned p : plan) {
      events.add(new Event(p.invoke, 1, p, true, null));
      events.add(new Event(p.complete, 0, p, false, null));
    }
    for (Fault f : FAULTS) {
      long from = (long) (f.from * duration);
      long to = (long) (f.to * duration);
      events.add(new Event(from, 2, null, true, nemesis(OpType.INVOKE, f.start, f.value)));
      events.add(new Event(from + 20 * MS, 2, null, false, verified(f.start, f.value)));
      events.add(new Event(to, 2, null, true, nemesis(OpType.INVOKE, f.stop, f.value)));
      events.add(new Event(to + 30 * MS, 2, null, false, verified(f.stop, f.value)));
    }
    events.sort(Comparator.comparingLong(Event::time).thenComparingInt(Event::order));
    List<Op> ops = new ArrayList<>(events.size());
    long counter = 0;
    Map<Planned, Long> readSnapshot = new HashMap<>();
    for (Event e : events) {
      long index = ops.size();
      if (e.nemesis != null) {
        Op n = e.nemesis;
        ops.add(new Op(index, e.time, n.type(), n.process(), n.f(), n.value(), n.extras()));
        continue;
      }
      Planned p = e.planned;
      boolean add = p.f.equals("add");
      Object value;
      if (e.invoke) {
        value = add ? 1L : null;
        if (!add) {
          readSnapshot.put(p, counter);
        }
      } else {
        if (add && p.type == OpType.OK) {
          counter++;
        }
        Long seen = readSnapshot.remove(p);
        value = add ? (Object) 1L : p.type == OpType.OK ? seen : null;
      }
      ops.add(
          new Op(
              index,
              e.time,
              e.invoke ? OpType.INVOKE : p.type,
              p.process,
              p.f,
              value,
              e.invoke || p.type == OpType.OK
                  ? Map.of("node", p.node)
                  : ordered(
                      "node",
                      p.node,
                      "error",
                      p.type == OpType.FAIL ? "connection refused" : "timeout")));
    }
    return History.of(ops);
  }

  private static Op nemesis(OpType type, String f, Object value) {
    return new Op(0, 0, type, Op.NEMESIS, f, value);
  }

  private static Op verified(String f, Object value) {
    return new Op(0, 0, OpType.INFO, Op.NEMESIS, f, value, Map.of("verified", true));
  }

  /** A map in the order its keys are given. */
  @SuppressWarnings("unchecked")
  static <V> Map<String, V> ordered(Object... keysAndValues) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return m;
  }

  /** A full result for a generated history: phases, faults, the counter checker, convergence. */
  static ScenarioResult result(String name, History h, int seconds) {
    long duration = seconds * SECOND;
    long end = h.get(h.size() - 1).time();
    Instant start = Instant.parse("2025-06-01T12:00:00Z");
    long healed = (long) (0.82 * duration) + 30 * MS;
    return ScenarioResult.builder(name)
        .seed(42)
        .backend("local")
        .nodes(NODES)
        .start(start)
        .end(start.plusNanos(end + SECOND))
        .phase("setup", 0, SECOND / 2)
        .phase("workload", SECOND / 2, duration)
        .phase("quiesce", duration, end - 10 * MS)
        .phase("final-reads", end - 10 * MS, end)
        .history(h)
        .check("counter", Checkers.named("counter").check(h))
        .convergence(
            new Convergence(
                healed,
                healed + 1_830 * MS,
                ordered("n1", "9f2c", "n2", "9f2c", "n3", "9f2c", "n4", "9f2c", "n5", "9f2c"),
                ordered("n1", 1234, "n2", 1234, "n3", 1234, "n4", 1234, "n5", 1234)))
        .lagSample(3 * MS)
        .lagSample(12 * MS)
        .lagSample(40 * MS)
        .lagSample(7 * MS)
        .build();
  }
}
