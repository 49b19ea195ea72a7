package dev.meld.chaos.maelstrom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meld.chaos.checker.CheckResult;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.nemesis.Grudge;
import dev.meld.chaos.nemesis.Grudges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one Maelstrom-protocol test: starts the nodes, drives the workload from clients while the
 * nemesis cycles through its faults, heals, waits until every node reads the same (the convergence
 * time after the last heal), takes a final read on every node, and judges the history with the
 * bench's checkers. Writes {@code history.jsonl}, {@code results.json} and each node's stderr
 * ({@code nodes/nK.log}) under the output directory.
 */
public final class MaelstromRunner {

  /** Maelstrom's definite error codes (protocol.md): the operation certainly did not happen. */
  static final Set<Integer> DEFINITE = Set.of(1, 10, 11, 12, 14, 20, 21, 22, 30);

  /** Grudges the partition nemesis draws from (Jepsen's shapes, as in the scenarios). */
  private static final List<String> SHAPES = List.of("random-halves", "one", "majorities-ring", "bridge");

  private final MaelstromSettings settings;
  private final MaelstromWorkload workload;
  private final ObjectMapper json = new ObjectMapper();

  public MaelstromRunner(MaelstromSettings settings) {
    this.settings = settings;
    this.workload = MaelstromWorkload.named(settings.workload());
  }

  /** Runs the test and returns its result; the files are in {@code out}. */
  public MaelstromResult run(Path out) throws IOException, InterruptedException {
    Files.createDirectories(out);
    long started = System.nanoTime();
    try (MaelstromCluster cluster = new MaelstromCluster(json, settings, out.resolve("nodes"));
        HistoryRecorder history = HistoryRecorder.create(out.resolve("history.jsonl"))) {
      cluster.start();
      if (workload == MaelstromWorkload.BROADCAST) {
        try {
          cluster.topology();
        } catch (TimeoutException e) {
          throw new IllegalStateException("topology: no topology_ok within " + settings.startTimeout());
        }
      }
      long sentBefore = cluster.network.serverSent.get();
      long deliveredBefore = cluster.network.serverDelivered.get();
      AtomicLong invoked = new AtomicLong();
      List<Thread> clients = new ArrayList<>();
      long deadline = System.nanoTime() + settings.timeLimit().toNanos();
      AtomicLong unique = new AtomicLong();
      for (int i = 1; i <= settings.clients(); i++) {
        MaelstromClient c = new MaelstromClient("c" + i, json, cluster.network);
        String node = cluster.ids.get((i - 1) % cluster.ids.size());
        int process = i - 1;
        Random random = new Random(settings.seed() * 31 + i);
        Thread t =
            new Thread(
                () -> clientLoop(c, node, process, random, history, deadline, unique, invoked),
                "maelstrom-" + c.name());
        t.setDaemon(true);
        clients.add(t);
      }
      clients.forEach(Thread::start);
      List<Map<String, Object>> faults = nemesis(cluster, history, deadline);
      for (Thread t : clients) {
        t.join();
      }
      long healStarted = System.nanoTime();
      Map<String, Object> healed = cluster.healAll();
      long lastHeal = System.nanoTime();
      if (!faults.isEmpty()) {
        Map<String, Object> open = faults.get(faults.size() - 1);
        history.nemesis("stop-" + open.get("fault"), healed.isEmpty() ? open.get("value") : healed);
        open.put("millis", (healStarted - deadline) / 1_000_000 + settings.nemesisInterval().toMillis());
      }
      long messages = cluster.network.serverSent.get() - sentBefore;
      long delivered = cluster.network.serverDelivered.get() - deliveredBefore;
      Long convergence = converge(cluster, lastHeal);
      finalReads(cluster, history);
      CheckResult check = workload.checker().check(history.history());
      MaelstromResult result =
          new MaelstromResult(
              settings,
              check,
              history.history(),
              invoked.get(),
              messages,
              delivered,
              cluster.network.rejected.get(),
              convergence,
              faults,
              Duration.ofNanos(System.nanoTime() - started));
      Files.writeString(out.resolve("results.json"), result.toJson());
      return result;
    }
  }

  private void clientLoop(
      MaelstromClient c,
      String node,
      int process,
      Random random,
      HistoryRecorder history,
      long deadline,
      AtomicLong unique,
      AtomicLong invoked) {
    long intervalNanos = (long) (settings.clients() * 1e9 / settings.rate());
    long next = System.nanoTime() + (long) (random.nextDouble() * intervalNanos);
    try {
      while (true) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (System.nanoTime() - deadline >= 0) {
          return;
        }
        next += intervalNanos;
        invoked.incrementAndGet();
        if (random.nextInt(4) < 3) {
          long value = workload.nextWriteValue(random, unique.incrementAndGet());
          call(c, node, process, history, workload.writeF, value, workload.writeBody(json, value));
        } else {
          call(c, node, process, history, "read", null, json.createObjectNode().put("type", "read"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One request as an invoke and its completion: ok, fail (definite error) or info. */
  private void call(
      MaelstromClient c, String node, int process, HistoryRecorder history, String f, Object value, ObjectNode body)
      throws InterruptedException {
    Op invoke = history.invoke(process, f, value);
    JsonNode reply;
    try {
      reply = c.call(node, body, settings.requestTimeout());
    } catch (TimeoutException e) {
      history.complete(invoke, OpType.INFO, value, Map.of("error", "timeout", "node", node));
      return;
    }
    String type = reply.path("type").asText("");
    if (type.equals("error")) {
      int code = reply.path("code").asInt(-1);
      String text = "error " + code + " " + reply.path("text").asText("");
      history.complete(
          invoke, DEFINITE.contains(code) ? OpType.FAIL : OpType.INFO, value, Map.of("error", text, "node", node));
      return;
    }
    String expected = f.equals("read") ? "read_ok" : f + "_ok";
    if (!type.equals(expected)) {
      history.complete(invoke, OpType.INFO, value,
          Map.of("error", "reply type " + type + " (expected: " + expected + ")", "node", node));
      return;
    }
    Object okValue = value;
    if (f.equals("read")) {
      try {
        okValue = workload.readValue(json, reply);
      } catch (IllegalArgumentException bad) {
        history.complete(invoke, OpType.INFO, null, Map.of("error", bad.getMessage(), "node", node));
        return;
      }
    }
    history.complete(invoke, OpType.OK, okValue, Map.of("node", node));
  }

  /**
   * Cycles through the nemeses until the deadline: calm, fault, calm, fault, ..., always ending
   * with a fault in force at the deadline, so that the heal after the clients stop is the one the
   * convergence time is measured from. Returns each fault; the last one is still in force.
   */
  private List<Map<String, Object>> nemesis(MaelstromCluster cluster, HistoryRecorder history, long deadline)
      throws IOException, InterruptedException {
    List<Map<String, Object>> faults = new ArrayList<>();
    if (settings.nemeses().isEmpty()) {
      sleepUntil(deadline);
      return faults;
    }
    Random random = new Random(settings.seed() * 17 + 5);
    long interval = settings.nemesisInterval().toNanos();
    while (true) {
      boolean last = System.nanoTime() + 3 * interval - deadline > 0;
      sleepUntil(last ? deadline - interval : System.nanoTime() + interval);
      String kind = settings.nemeses().get(faults.size() % settings.nemeses().size());
      long startedAt = System.nanoTime();
      Object value = startFault(cluster, kind, random);
      history.nemesis("start-" + kind, value);
      Map<String, Object> fault = new LinkedHashMap<>();
      fault.put("fault", kind);
      fault.put("value", value);
      faults.add(fault);
      sleepUntil(last ? deadline : startedAt + interval);
      if (last) {
        return faults; // healed by the caller once the clients have stopped
      }
      Map<String, Object> healed = cluster.healAll();
      history.nemesis("stop-" + kind, healed.isEmpty() ? value : healed);
      fault.put("millis", (System.nanoTime() - startedAt) / 1_000_000);
    }
  }

  private Object startFault(MaelstromCluster cluster, String kind, Random random)
      throws IOException, InterruptedException {
    String target = cluster.ids.get(random.nextInt(cluster.ids.size()));
    switch (kind) {
      case "partition":
        String shape = SHAPES.get(random.nextInt(cluster.ids.size() >= 3 ? SHAPES.size() : 2));
        Grudge<String> g = Grudges.<String>named(shape).apply(cluster.ids, random);
        cluster.partition(g);
        return g.drops();
      case "kill":
        cluster.kill(target);
        return target;
      case "pause":
        cluster.pause(target);
        return target;
      case "latency":
        cluster.network.latency(MaelstromSettings.LATENCY_MILLIS);
        return MaelstromSettings.LATENCY_MILLIS + " ms";
      default:
        cluster.network.loss(MaelstromSettings.LOSS);
        return MaelstromSettings.LOSS;
    }
  }

  /**
   * Reads every node every 100 ms until all answer the same; the time from the last heal to that
   * moment, or null if the quiesce limit passed first.
   */
  private Long converge(MaelstromCluster cluster, long healedAt) throws InterruptedException {
    long limit = healedAt + settings.quiesceLimit().toNanos();
    while (System.nanoTime() - limit < 0) {
      Object first = null;
      boolean same = true;
      for (String id : cluster.ids) {
        Object v = probe(cluster, id);
        if (v == null || (first != null && !first.equals(v))) {
          same = false;
          break;
        }
        first = v;
      }
      if (same) {
        return (System.nanoTime() - healedAt) / 1_000_000;
      }
      Thread.sleep(100);
    }
    return null;
  }

  private Object probe(MaelstromCluster cluster, String id) throws InterruptedException {
    try {
      JsonNode r = cluster.admin().call(id, json.createObjectNode().put("type", "read"), settings.requestTimeout());
      return r.path("type").asText().equals("read_ok") ? workload.comparable(workload.readValue(json, r)) : null;
    } catch (TimeoutException | IllegalArgumentException e) {
      return null;
    }
  }

  /** A {@code final-read} on every node, each by its own process, retried on errors a few times. */
  private void finalReads(MaelstromCluster cluster, HistoryRecorder history) throws InterruptedException {
    int process = settings.clients();
    for (String id : cluster.ids) {
      for (int attempt = 0; attempt < 5; attempt++) {
        Op invoke = history.invoke(process, "final-read", null);
        try {
          JsonNode r = cluster.admin().call(id, json.createObjectNode().put("type", "read"), settings.requestTimeout());
          if (r.path("type").asText().equals("read_ok")) {
            history.complete(invoke, OpType.OK, workload.readValue(json, r), Map.of("node", id));
            break;
          }
          history.complete(invoke, OpType.FAIL, null, Map.of("node", id, "error", r.toString()));
        } catch (TimeoutException e) {
          history.complete(invoke, OpType.INFO, null, Map.of("node", id, "error", "timeout"));
        } catch (IllegalArgumentException bad) {
          history.complete(invoke, OpType.INFO, null, Map.of("node", id, "error", bad.getMessage()));
        }
        Thread.sleep(200);
      }
      process++;
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, wait / 1_000_000));
    }
  }
}
