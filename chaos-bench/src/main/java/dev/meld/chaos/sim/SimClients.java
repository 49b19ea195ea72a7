package dev.meld.chaos.sim;

import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.workload.ClientHistory;
import dev.meld.chaos.workload.Request;
import dev.meld.chaos.workload.Workload;
import dev.meld.node.sim.ClientOp;
import dev.meld.node.sim.SimCluster;
import dev.meld.node.sim.SimOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The client processes of a simulated run: the same workload, processes and history as on real
 * nodes ({@code ClientPool}), driven by the simulation's events instead of threads. Each process
 * sends one request at a time to its node, waits a random think time after each completion (mean
 * {@code clients / rate}), and carries on as a new process after an {@code info}.
 */
final class SimClients {

  private final SimBackedCluster cluster;
  private final Workload workload;
  private final ClientHistory history;
  private final Random random;
  private final List<String> nodes;
  private final int perNode;
  private final long meanGapMillis;
  private long budget;
  private long deadline;
  private boolean stopped;
  private boolean paused;
  private int inFlight;
  private long processes;
  private final List<Runnable> held = new ArrayList<>();

  SimClients(
      SimBackedCluster cluster,
      Workload workload,
      ClientHistory history,
      long seed,
      int perNode,
      double rate,
      long maxRequests) {
    this.cluster = cluster;
    this.workload = workload;
    this.history = history;
    this.random = new Random(seed);
    this.nodes = cluster.nodes();
    this.perNode = perNode;
    this.meanGapMillis = Math.max(1, Math.round(nodes.size() * perNode / rate * 1000));
    this.budget = maxRequests;
  }

  int threads() {
    return nodes.size() * perNode;
  }

  long processesUsed() {
    return processes;
  }

  private SimCluster sim() {
    return cluster.sim();
  }

  /** Starts every process; none sends after {@code durationMillis} of virtual time. */
  void start(long durationMillis) {
    deadline = sim().now() + durationMillis;
    processes = threads();
    int slot = 0;
    for (String node : nodes) {
      for (int i = 0; i < perNode; i++, slot++) {
        long process = slot;
        schedule(node, process);
      }
    }
  }

  private void schedule(String node, long process) {
    long gap = (long) (random.nextDouble() * 2 * meanGapMillis);
    sim().at(sim().now() + gap, () -> send(node, process));
  }

  private void send(String node, long process) {
    if (stopped || sim().now() >= deadline || budget <= 0) {
      return;
    }
    if (paused) {
      held.add(() -> send(node, process));
      return;
    }
    budget--;
    Request request = workload.next(node, random);
    Op invocation = history.invoke(process, request, node);
    inFlight++;
    sim().invoke((int) process, node, toSim(request), done -> completed(node, process, request, invocation, done));
  }

  private void completed(String node, long process, Request request, Op invocation, SimOp done) {
    inFlight--;
    OpType type =
        done.type() == SimOp.Type.OK ? OpType.OK : done.type() == SimOp.Type.FAIL ? OpType.FAIL : OpType.INFO;
    Object result = type == OpType.OK ? result(node, request, done.value()) : null;
    history.complete(invocation, request, type, result, done.error());
    workload.completed(node, request, type);
    long next = process;
    if (type == OpType.INFO) {
      next = process + threads();
      processes = Math.max(processes, next + 1);
    }
    schedule(node, next);
  }

  /** What {@link Request#execute} returns on a real node, from the simulator's completion value. */
  static Object result(String node, Request request, Object value) {
    switch (request.kind()) {
      case COUNTER_ADD:
      case SET_ADD:
      case SET_REMOVE:
        return request.argument();
      case SET_READ:
      case FINAL_SET_READ:
        List<String> members = new ArrayList<>();
        for (Object m : (List<?>) value) {
          members.add((String) m);
        }
        return Request.elements(node, members);
      default:
        return value;
    }
  }

  static ClientOp toSim(Request request) {
    switch (request.kind()) {
      case COUNTER_ADD:
        return new ClientOp.CounterAdd(request.key(), request.argument());
      case COUNTER_READ:
      case FINAL_COUNTER_READ:
        return new ClientOp.CounterRead(request.key());
      case SET_ADD:
        return new ClientOp.SetAdd(request.key(), Long.toString(request.argument()));
      case SET_REMOVE:
        return new ClientOp.SetRemove(request.key(), Long.toString(request.argument()));
      default:
        return new ClientOp.SetRead(request.key());
    }
  }

  /** Holds every process before its next request; true once none is in flight within {@code timeout}. */
  boolean pause(Duration timeout) {
    paused = true;
    return cluster.advanceUntil(() -> inFlight == 0, timeout.toMillis());
  }

  /** Lets held processes go on. */
  void resume() {
    paused = false;
    List<Runnable> go = new ArrayList<>(held);
    held.clear();
    go.forEach(r -> sim().at(sim().now(), r));
  }

  /** Sends nothing more and runs the simulation until every request in flight completed (bounded). */
  boolean stop(long timeoutMillis) {
    stopped = true;
    return cluster.advanceUntil(() -> inFlight == 0, timeoutMillis);
  }
}
