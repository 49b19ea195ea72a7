package dev.meld.chaos.report;

import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.checker.Validity;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random {@link ScenarioResult}s for property tests: every field exercised, nulls where allowed,
 * and strings that need escaping in JSON and HTML.
 */
final class RandomResults {

  static final List<String> NASTY =
      List.of(
          "<script>alert(1)</script>",
          "a & b",
          "\"quoted\" 'single'",
          "ümlaut ∑ 日本",
          "line\nbreak\ttab",
          "]]></x><!--",
          "plain");

  private RandomResults() {}

  static ScenarioResult of(long seed) {
    Random r = new Random(seed);
    List<String> nodes = new ArrayList<>();
    for (int i = 1, n = 1 + r.nextInt(6); i <= n; i++) {
      nodes.add(r.nextInt(8) == 0 ? pick(r, NASTY) + i : "n" + i);
    }
    ScenarioResult.Builder b =
        ScenarioResult.builder(r.nextInt(5) == 0 ? pick(r, NASTY) : "scenario-" + r.nextInt(100))
            .seed(r.nextLong())
            .backend(pick(r, List.of("local", "docker", "sim")))
            .nodes(nodes);
    if (r.nextInt(6) == 0) {
      return b.skipped(pick(r, NASTY)).build();
    }
    Instant start =
        Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_000_000), r.nextInt(1_000_000_000));
    long length = 1 + (long) (r.nextDouble() * 120e9);
    b.start(start).end(start.plusNanos(length));
    long t = 0;
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      long next = t + (long) (r.nextDouble() * length / 4);
      b.phase(pick(r, List.of("setup", "workload", "quiesce", pick(r, NASTY))), t, next);
      t = next;
    }
    List<FaultWindow> faults = new ArrayList<>();
    for (int i = 0, n = r.nextInt(5); i < n; i++) {
      long from = (long) (r.nextDouble() * length);
      faults.add(
          new FaultWindow(
              pick(r, List.of("partition", "kill", "pause", "clock", pick(r, NASTY))),
              pick(r, List.of("start-partition", "kill", "pause", pick(r, NASTY))),
              r.nextBoolean() ? null : pick(r, List.of("stop-partition", "start", "resume")),
              r.nextInt(1000),
              from,
              r.nextInt(4) == 0 ? null : from + (long) (r.nextDouble() * (length - from)),
              nodes.subList(0, r.nextInt(nodes.size() + 1)),
              value(r, 2),
              r.nextInt(3) == 0 ? null : r.nextBoolean(),
              r.nextBoolean() ? null : pick(r, NASTY)));
    }
    b.faults(faults);
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      Map<String, Object> details = new LinkedHashMap<>();
      for (int k = 0, m = r.nextInt(5); k < m; k++) {
        details.put(
            pick(r, List.of("lost-count", "errors", "error", "reads", pick(r, NASTY))) + k,
            value(r, 3));
      }
      b.check("checker-" + i, CheckResult.of(Validity.values()[r.nextInt(3)], details));
    }
    if (r.nextBoolean()) {
      Map<String, String> digests = new LinkedHashMap<>();
      Map<String, Object> reads = new LinkedHashMap<>();
      for (String node : nodes) {
        digests.put(node, r.nextInt(4) == 0 ? "beef" : "f00d");
        reads.put(node, value(r, 1));
      }
      long heal = (long) (r.nextDouble() * length);
      b.convergence(
          new Convergence(
              r.nextInt(5) == 0 ? null : heal,
              r.nextInt(5) == 0 ? null : heal + r.nextInt(1_000_000_000),
              digests,
              reads));
    }
    for (int i = 0, n = r.nextInt(20); i < n; i++) {
      b.lagSample(r.nextInt(100_000_000));
    }
    return b.build();
  }

  /** A JSON value: null, boolean, integer, double, string, list or map, {@code depth} deep. */
  static Object value(Random r, int depth) {
    switch (r.nextInt(depth > 0 ? 7 : 5)) {
      case 0:
        return null;
      case 1:
        return r.nextBoolean();
      case 2:
        return r.nextInt(3) == 0 ? r.nextLong() : (long) r.nextInt(100);
      case 3:
        return r.nextInt(1000) / 8.0;
      case 4:
        return pick(r, NASTY);
      case 5:
        List<Object> list = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
          list.add(value(r, depth - 1));
        }
        return list;
      default:
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
          map.put(pick(r, NASTY) + i, value(r, depth - 1));
        }
        return map;
    }
  }

  static <T> T pick(Random r, List<T> from) {
    return from.get(r.nextInt(from.size()));
  }

  /**
   * A small well-formed history with nasty strings in f, values, errors and node names: a few
   * clients, each op completed (or left open at the end), and nemesis ops in between.
   */
  static History history(long seed) {
    Random r = new Random(seed);
    List<Op> ops = new ArrayList<>();
    long time = 0;
    Map<Long, Op> open = new LinkedHashMap<>();
    for (int i = 0, n = r.nextInt(40); i < n; i++) {
      time += r.nextInt(200_000_000);
      long process = r.nextInt(3);
      Op pending = open.get(process);
      if (r.nextInt(6) == 0) {
        String f =
            pick(r, List.of("start-partition", "stop-partition", "kill", "start", pick(r, NASTY)));
        Map<String, Object> extras =
            r.nextBoolean()
                ? Map.of()
                : Map.of("verified", r.nextBoolean(), "verify-detail", pick(r, NASTY));
        ops.add(new Op(ops.size(), time, OpType.INFO, Op.NEMESIS, f, value(r, 2), extras));
      } else if (pending == null) {
        Op inv =
            new Op(
                ops.size(),
                time,
                OpType.INVOKE,
                process,
                pick(r, List.of("add", "read", pick(r, NASTY))),
                value(r, 1),
                Map.of("node", pick(r, NASTY)));
        ops.add(inv);
        open.put(process, inv);
      } else {
        open.remove(process);
        OpType type = OpType.values()[1 + r.nextInt(3)];
        ops.add(
            new Op(
                ops.size(),
                time,
                type,
                process,
                pending.f(),
                value(r, 2),
                Map.of("error", pick(r, NASTY))));
      }
    }
    return History.of(ops);
  }
}
