package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.NodeClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Measures replication lag while a scenario runs: about once a second it increments a counter of
 * its own ({@value #KEY}, not part of the workload or the history) on the next node in turn and
 * reads it on every other node until all of them show the new value; the time that took is one
 * sample. A write that does not reach every node within the wait (a partition, a dead node) gives
 * no sample. Polls are a tenth of the time waited so far apart (1 ms to 100 ms), so a sample
 * overshoots by about 10 % at most.
 */
final class LagProbe {

  /** The counter the probe increments. */
  static final String KEY = "meld-chaos-lag";

  private final Cluster cluster;
  private final long everyMillis;
  private final long maxWaitMillis;
  private final LongConsumer sample;
  private final Map<String, NodeClient> clients = new LinkedHashMap<>();
  private Thread thread;
  private volatile boolean stopped;
  private final Object gate = new Object();
  private boolean paused;
  private boolean probing;

  LagProbe(Cluster cluster, long everyMillis, long maxWaitMillis, LongConsumer sample) {
    this.cluster = cluster;
    this.everyMillis = everyMillis;
    this.maxWaitMillis = maxWaitMillis;
    this.sample = sample;
  }

  void start() {
    thread = new Thread(this::run, "lag-probe");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops probing and waits (bounded) for the probe in flight. */
  void stop() throws InterruptedException {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
      thread.join(maxWaitMillis + 5_000);
    }
  }

  /**
   * Holds the probe, as the clients are held before a step that may lose data (a restore): its
   * writes and reads must not be in flight then either. True if no round was in flight after
   * {@code timeout}.
   */
  boolean pause(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (gate) {
      paused = true;
      while (probing) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        gate.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Lets a paused probe go on. */
  void resume() {
    synchronized (gate) {
      paused = false;
      gate.notifyAll();
    }
  }

  private void run() {
    try {
      for (long round = 0; !stopped; round++) {
        long next = System.nanoTime() + everyMillis * 1_000_000;
        List<String> nodes = cluster.nodes();
        if (nodes.size() > 1) {
          synchronized (gate) {
            while (paused && !stopped) {
              gate.wait(100);
            }
            probing = true;
          }
          try {
            probe(nodes.get((int) (round % nodes.size())), nodes);
          } finally {
            synchronized (gate) {
              probing = false;
              gate.notifyAll();
            }
          }
        }
        long left = next - System.nanoTime();
        if (left > 0) {
          Thread.sleep(left / 1_000_000 + 1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      clients.values().forEach(NodeClient::close);
    }
  }

  private void probe(String writer, List<String> nodes) throws InterruptedException {
    long written;
    long start = System.nanoTime();
    try {
      written = client(writer).incrBy(KEY, 1);
    } catch (RuntimeException e) {
      drop(writer);
      return;
    }
    List<String> waiting = new ArrayList<>(nodes);
    waiting.remove(writer);
    long end = start + maxWaitMillis * 1_000_000;
    while (!waiting.isEmpty() && !stopped && System.nanoTime() < end) {
      for (int i = waiting.size() - 1; i >= 0; i--) {
        String node = waiting.get(i);
        try {
          if (client(node).counterGet(KEY) >= written) {
            waiting.remove(i);
          }
        } catch (RuntimeException e) {
          drop(node);
        }
      }
      if (!waiting.isEmpty()) {
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(Math.max(1, Math.min(100, waitedMillis / 10)));
      }
    }
    if (waiting.isEmpty()) {
      sample.accept(System.nanoTime() - start);
    }
  }

  private NodeClient client(String node) {
    return clients.computeIfAbsent(node, cluster::client);
  }

  private void drop(String node) {
    NodeClient c = clients.remove(node);
    if (c != null) {
      c.close();
    }
  }
}
