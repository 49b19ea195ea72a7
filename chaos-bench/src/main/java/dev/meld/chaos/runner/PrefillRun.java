package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeClientException;
import dev.meld.chaos.history.HistoryRecorder;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.workload.Prefill;
import dev.meld.chaos.workload.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carries out a workload's {@link Prefill} before the warm-up: the members go to one node in
 * {@code SADD}s of {@value Prefill#CHUNK}, a few commands in flight (one connection each), and then
 * every node is polled with {@code SCARD} until each holds every pre-filled set whole, bounded in
 * time. The faults must strike a set that every replica holds, or a wipe would test less than it
 * claims.
 *
 * <p><b>In the history</b> each command is one client operation {@code add-all [key, [e ...]]}:
 * the invocation before the command is sent, {@code ok} when the node acknowledged it (every
 * element is then an acknowledged add, which the set checkers understand), {@code info} or {@code
 * fail} otherwise. A hundred ops of a thousand elements each, where one add per element would be
 * two hundred thousand. A command that did not succeed is sent again, as a new operation (a new
 * process after an {@code info}, as Jepsen's clients do), at most {@value #ATTEMPTS} times.
 * Processes are numbered from {@value #FIRST_PROCESS}, far above the clients' and the final
 * reads'. Then one nemesis op {@code check-prefill} records what was done: the node, the sets and
 * their sizes on every node, the commands, the retries, how long the fill took and how long until
 * every node held it (a {@code check-} op measures, it is no fault).
 */
public final class PrefillRun {

  /** The history's {@code f} of a command adding many members. */
  public static final String ADD_ALL = "add-all";

  /** The first process number of the pre-fill's commands. */
  public static final long FIRST_PROCESS = 1_000_000_000L;

  /** How many times a chunk is sent before the pre-fill gives up. */
  public static final int ATTEMPTS = 3;

  /** A command of a thousand members on a busy machine may take seconds; the workload's 1 s is too short. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  /**
   * What the pre-fill did.
   *
   * @param node where the members were sent
   * @param commands {@code add-all} operations sent, retries included
   * @param retries operations that did not succeed and were sent again
   * @param fillNanos from the first command to the last acknowledgement
   * @param replicatedNanos from the last acknowledgement until every node held every set; null if
   *     never seen (or the fill failed)
   * @param sizes the last {@code SCARD} of every pre-filled set on every node (-1: no answer)
   * @param errors why the pre-fill is not complete; empty when it is
   */
  public record Outcome(
      String node,
      int commands,
      int retries,
      long fillNanos,
      Long replicatedNanos,
      Map<String, Map<String, Long>> sizes,
      List<String> errors) {

    /** True when every member was acknowledged and every node held them all in time. */
    public boolean complete() {
      return errors.isEmpty();
    }
  }

  private record Job(String key, int set, int chunk) {}

  private final Cluster cluster;
  private final Workload workload;
  private final HistoryRecorder recorder;
  private final RunTime time;
  private final int inFlight;
  private final long replicationLimitMillis;
  private final long pollMillis;

  /**
   * @param time the run's time (virtual on the simulator: waiting runs it forward)
   * @param inFlight commands in flight at once, each on its own connection and thread; 1 sends
   *     them one after another on the caller's thread (the simulator has one thread)
   * @param replicationLimitMillis how long every node may take to hold the sets after the last
   *     acknowledgement
   * @param pollMillis how often the nodes are asked meanwhile
   */
  public PrefillRun(
      Cluster cluster,
      Workload workload,
      HistoryRecorder recorder,
      RunTime time,
      int inFlight,
      long replicationLimitMillis,
      long pollMillis) {
    if (inFlight < 1 || inFlight > 64) {
      throw new IllegalArgumentException("inFlight: " + inFlight + " (expected: 1..64)");
    }
    if (replicationLimitMillis < 0 || pollMillis < 1) {
      throw new IllegalArgumentException(
          "replicationLimitMillis: " + replicationLimitMillis + ", pollMillis: " + pollMillis
              + " (expected: >= 0 and >= 1)");
    }
    this.cluster = cluster;
    this.workload = workload;
    this.recorder = recorder;
    this.time = time;
    this.inFlight = inFlight;
    this.replicationLimitMillis = replicationLimitMillis;
    this.pollMillis = pollMillis;
  }

  /**
   * Fills the workload's pre-filled sets through {@code node}, waits until every node holds them,
   * and records the {@code check-prefill} op.
   *
   * @throws IllegalArgumentException if the workload has no pre-fill
   */
  public Outcome run(String node) throws InterruptedException {
    Prefill plan =
        workload.prefill()
            .orElseThrow(() -> new IllegalArgumentException(
                "workload " + workload.name() + ": no prefill (expected: a set workload with a prefill)"));
    List<String> keys = plan.keys(workload.keys());
    List<Job> jobs = new ArrayList<>();
    for (int set = 0; set < keys.size(); set++) {
      for (int chunk = 0; chunk < plan.chunks(); chunk++) {
        jobs.add(new Job(keys.get(set), set, chunk));
      }
    }
    Fill fill = new Fill(plan, node, jobs, Math.min(inFlight, jobs.size()));
    long started = time.nanoTime();
    fill.run();
    long filled = time.nanoTime();
    List<String> errors = new ArrayList<>(fill.errors);
    Map<String, Map<String, Long>> sizes = new LinkedHashMap<>();
    Long replicated = null;
    if (errors.isEmpty()) {
      String behind = awaitReplicas(keys, plan.members(), sizes);
      if (behind == null) {
        replicated = time.nanoTime() - filled;
      } else {
        errors.add(
            "pre-fill: not every node holds the pre-filled sets "
                + replicationLimitMillis / 1000
                + " s after the last SADD was acknowledged: "
                + behind);
      }
    }
    Outcome outcome =
        new Outcome(node, fill.commands.get(), fill.retries.get(), filled - started, replicated, sizes, errors);
    recorder.nemesis("check-prefill", describe(plan, keys, outcome));
    return outcome;
  }

  private static Map<String, Object> describe(Prefill plan, List<String> keys, Outcome o) {
    Map<String, Object> sets = new LinkedHashMap<>();
    for (String key : keys) {
      sets.put(key, plan.members());
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("node", o.node());
    v.put("sets", sets);
    v.put("commands", o.commands());
    v.put("retries", o.retries());
    v.put("fill-ms", o.fillNanos() / 1_000_000);
    v.put("replicated-ms", o.replicatedNanos() == null ? null : o.replicatedNanos() / 1_000_000);
    v.put("sizes", o.sizes());
    v.put("complete", o.complete());
    return v;
  }

  /** The chunks, sent by {@code lanes} lanes that share one queue. */
  private final class Fill {
    final Prefill plan;
    final String node;
    final List<Job> jobs;
    final int lanes;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger commands = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicBoolean gaveUp = new AtomicBoolean();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    Fill(Prefill plan, String node, List<Job> jobs, int lanes) {
      this.plan = plan;
      this.node = node;
      this.jobs = jobs;
      this.lanes = lanes;
    }

    void run() throws InterruptedException {
      if (lanes <= 1) {
        lane(0);
        return;
      }
      ExecutorService pool =
          Executors.newFixedThreadPool(
              lanes,
              r -> {
                Thread t = new Thread(r, "prefill");
                t.setDaemon(true);
                return t;
              });
      try {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
          int l = lane;
          tasks.add(() -> {
            lane(l);
            return null;
          });
        }
        for (Future<Void> f : pool.invokeAll(tasks)) {
          try {
            f.get();
          } catch (ExecutionException e) {
            errors.add("pre-fill: a sender failed: " + e.getCause());
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    private void lane(int lane) {
      long process = FIRST_PROCESS + lane;
      NodeClient client = cluster.client(node, COMMAND_TIMEOUT);
      try {
        for (int j = next.getAndIncrement(); j < jobs.size() && !gaveUp.get(); j = next.getAndIncrement()) {
          Job job = jobs.get(j);
          List<Long> elements = plan.chunk(job.set(), job.chunk());
          List<String> members = elements.stream().map(String::valueOf).toList();
          String lastError = null;
          boolean done = false;
          for (int attempt = 1; attempt <= ATTEMPTS && !done; attempt++) {
            if (attempt > 1) {
              retries.incrementAndGet();
            }
            commands.incrementAndGet();
            List<Object> value = Arrays.asList(job.key(), elements);
            Op invocation = recorder.record(OpType.INVOKE, process, ADD_ALL, value, Map.of("node", node));
            try {
              client.saddAll(job.key(), members);
              recorder.complete(invocation, OpType.OK, value, Map.of("node", node));
              workload.prefilled(node, job.key(), elements);
              done = true;
            } catch (RuntimeException e) {
              // Anything but an error reply leaves the outcome unknown: the command may have landed.
              boolean definite = e instanceof NodeClientException n && !n.indeterminate();
              lastError = e instanceof NodeClientException ? e.getMessage() : String.valueOf(e);
              recorder.complete(
                  invocation, definite ? OpType.FAIL : OpType.INFO, value, Map.of("node", node, "error", lastError));
              if (!definite) {
                process += lanes;
                client.close();
                client = cluster.client(node, COMMAND_TIMEOUT);
              }
            }
          }
          if (!done) {
            gaveUp.set(true);
            errors.add(
                "pre-fill: SADD of "
                    + job.key()
                    + " members "
                    + elements.get(0)
                    + ".."
                    + elements.get(elements.size() - 1)
                    + " on "
                    + node
                    + " did not succeed in "
                    + ATTEMPTS
                    + " attempts; last: "
                    + lastError);
          }
        }
      } finally {
        client.close();
      }
    }
  }

  /**
   * Polls every node's {@code SCARD} of every pre-filled set until each holds {@code members};
   * null once they all do, else who was behind at the last poll.
   */
  private String awaitReplicas(List<String> keys, long members, Map<String, Map<String, Long>> sizes)
      throws InterruptedException {
    Map<String, NodeClient> clients = new LinkedHashMap<>();
    long end = time.nanoTime() + replicationLimitMillis * 1_000_000;
    long maxPolls = replicationLimitMillis / pollMillis + 1;
    String behind = "not polled";
    try {
      for (long poll = 0; poll < maxPolls; poll++) {
        behind = poll(keys, members, sizes, clients);
        if (behind == null || time.nanoTime() + pollMillis * 1_000_000 > end) {
          break;
        }
        time.sleep(pollMillis);
      }
      return behind;
    } finally {
      clients.values().forEach(NodeClient::close);
    }
  }

  private String poll(
      List<String> keys, long members, Map<String, Map<String, Long>> sizes, Map<String, NodeClient> clients) {
    List<String> behind = new ArrayList<>();
    for (String node : cluster.nodes()) {
      Map<String, Long> onNode = sizes.computeIfAbsent(node, n -> new LinkedHashMap<>());
      for (String key : keys) {
        long size;
        try {
          size = clients.computeIfAbsent(node, n -> cluster.client(n, COMMAND_TIMEOUT)).scard(key);
        } catch (RuntimeException e) {
          NodeClient c = clients.remove(node);
          if (c != null) {
            c.close();
          }
          size = -1;
        }
        onNode.put(key, size);
        if (size != members) {
          behind.add(node + " " + key + " " + (size < 0 ? "no answer" : size + " of " + members));
        }
      }
    }
    return behind.isEmpty() ? null : String.join(", ", behind);
  }
}
