package dev.meld.chaos.workload;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeClientException;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.OpType;
import dev.meld.chaos.report.ProgressLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client processes of a run on real nodes: {@code perNode} threads per node, each with its own
 * connection and process number, sending the workload's requests at a shared total rate until
 * stopped, out of time, or out of requests.
 *
 * <p>As in Jepsen, a process whose request ended {@code info} may still have it in flight, so the
 * thread carries on as a new process (its number plus the number of threads) on a new connection.
 * Every outcome is recorded: {@code ok} with the result, {@code fail} when the node answered with
 * an error, {@code info} on a timeout, a lost or refused connection, or anything unexpected.
 *
 * <p>{@link #pause} holds every client before its next request and waits until none is in flight
 * (faults that destroy data need the writes before them replicated); {@link #resume} lets them go.
 */
public final class ClientPool {

  private final Cluster cluster;
  private final List<String> nodes;
  private final int perNode;
  private final Workload workload;
  private final ClientHistory history;
  private final ProgressLine progress;
  private final Pacer pacer;
  private final long seed;
  private final AtomicLong budget;
  private final AtomicLong processes = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private final Object lock = new Object();
  private boolean stopped;
  private boolean paused;
  private int inFlight;
  private long deadline;

  /**
   * @param nodes the nodes clients are bound to
   * @param perNode client threads per node, at least 1
   * @param rate requests per second over all clients
   * @param maxRequests the most requests sent in all
   * @param seed seeds each client's random choices
   */
  public ClientPool(
      Cluster cluster,
      List<String> nodes,
      int perNode,
      double rate,
      long maxRequests,
      Workload workload,
      ClientHistory history,
      ProgressLine progress,
      long seed) {
    if (nodes.isEmpty() || perNode < 1) {
      throw new IllegalArgumentException(
          "nodes: " + nodes + ", perNode: " + perNode + " (expected: some nodes, perNode >= 1)");
    }
    if (maxRequests < 0) {
      throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: >= 0)");
    }
    this.cluster = cluster;
    this.nodes = List.copyOf(nodes);
    this.perNode = perNode;
    this.workload = workload;
    this.history = history;
    this.progress = progress;
    this.pacer = new Pacer(rate, nodes.size() * perNode);
    this.seed = seed;
    this.budget = new AtomicLong(maxRequests);
  }

  /** How many client threads run: the process numbers {@code 0 .. threads() - 1} start them. */
  public int threads() {
    return nodes.size() * perNode;
  }

  /** One more than the highest process number any client used so far. */
  public long processesUsed() {
    return processes.get();
  }

  /** Starts every client; they stop by themselves after {@code limit}. */
  public void start(Duration limit) {
    synchronized (lock) {
      if (!threads.isEmpty()) {
        throw new IllegalStateException("client pool started twice (expected: once)");
      }
      deadline = System.nanoTime() + limit.toNanos();
    }
    processes.set(threads());
    int slot = 0;
    for (String node : nodes) {
      for (int i = 0; i < perNode; i++, slot++) {
        int process = slot;
        Thread t = new Thread(() -> runClient(node, process), "client-" + node + "-" + process);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }
  }

  /**
   * Holds every client before its next request and waits until no request is in flight.
   *
   * @return whether every request in flight completed within {@code timeout}
   */
  public boolean pause(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      paused = true;
      while (inFlight > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Lets paused clients go on. */
  public void resume() {
    synchronized (lock) {
      paused = false;
      lock.notifyAll();
    }
  }

  /**
   * Stops every client after its current request and waits for them (bounded by {@code timeout};
   * a request cannot outlast the clients' operation timeout by much).
   *
   * @return whether every client thread ended in time
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
    long end = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      long left = end - System.nanoTime();
      if (left > 0) {
        t.join(Math.max(1, left / 1_000_000));
      }
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }

  private void runClient(String node, long firstProcess) {
    Random random = new Random(seed * 1_000_003L + firstProcess);
    long process = firstProcess;
    long lastStart = System.nanoTime();
    NodeClient client = workload.client(cluster, node);
    try {
      while (awaitTurn(pacer.nextStart(lastStart, System.nanoTime(), random))) {
        lastStart = System.nanoTime();
        OpType outcome;
        try {
          outcome = send(client, node, process, workload.next(node, random));
        } finally {
          synchronized (lock) {
            inFlight--;
            lock.notifyAll();
          }
        }
        if (outcome == OpType.INFO) {
          process += threads();
          processes.accumulateAndGet(process + 1, Math::max);
          client.close();
          client = workload.client(cluster, node);
        }
      }
    } finally {
      client.close();
    }
  }

  /** Waits until {@code start}, and while paused; false when the client must end. */
  private boolean awaitTurn(long start) {
    synchronized (lock) {
      try {
        while (true) {
          long now = System.nanoTime();
          if (stopped || now >= deadline) {
            return false;
          }
          long wait = paused ? deadline - now : start - now;
          if (!paused && wait <= 0) {
            break;
          }
          lock.wait(Math.max(1, Math.min(wait, 1_000_000_000L) / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (budget.getAndDecrement() <= 0) {
        return false;
      }
      inFlight++;
      return true;
    }
  }

  private OpType send(NodeClient client, String node, long process, Request request) {
    Op invocation = history.invoke(process, request, node);
    long started = System.nanoTime();
    OpType outcome;
    Object result = null;
    String error = null;
    try {
      result = request.execute(client);
      outcome = OpType.OK;
    } catch (NodeClientException e) {
      outcome = e.indeterminate() ? OpType.INFO : OpType.FAIL;
      error = e.getMessage();
    } catch (RuntimeException e) {
      // Anything unexpected (a reply of the wrong shape): the request may have happened.
      outcome = OpType.INFO;
      error = String.valueOf(e);
    }
    history.complete(invocation, request, outcome, result, error);
    workload.completed(node, request, outcome);
    progress.opCompleted(outcome, System.nanoTime() - started);
    return outcome;
  }
}
