package dev.meld.chaos.sim;

import dev.meld.node.sim.ClientOp;
import dev.meld.node.sim.SimCluster;
import dev.meld.node.sim.SimOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Replication lag in virtual time, as the real-node probe measures it: every {@code everyMillis}
 * it adds the next number to a set of its own ({@value #KEY}, outside the workload and the
 * history) on the next node in turn, then reads that set on every other node every 5 ms until all
 * hold the number; the time from the add's invocation is one sample. An add that fails, or a number
 * not everywhere within {@code maxWaitMillis}, gives no sample. One probe runs at a time.
 */
final class SimLagProbe {

  static final String KEY = "meld-chaos-lag";
  private static final long POLL_MILLIS = 5;
  private static final int PROCESS = 20_000_000;

  private final SimBackedCluster cluster;
  private final long everyMillis;
  private final long maxWaitMillis;
  private final LongConsumer sample;
  private long next;
  private long round;
  private boolean stopped;

  SimLagProbe(SimBackedCluster cluster, long everyMillis, long maxWaitMillis, LongConsumer sample) {
    this.cluster = cluster;
    this.everyMillis = everyMillis;
    this.maxWaitMillis = maxWaitMillis;
    this.sample = sample;
  }

  private SimCluster sim() {
    return cluster.sim();
  }

  void start() {
    sim().at(sim().now() + everyMillis, this::probe);
  }

  void stop() {
    stopped = true;
  }

  private void probe() {
    if (stopped) {
      return;
    }
    List<String> nodes = sim().members();
    if (nodes.size() < 2) {
      sim().at(sim().now() + everyMillis, this::probe);
      return;
    }
    String writer = nodes.get((int) (round++ % nodes.size()));
    String element = Long.toString(next++);
    long start = sim().now();
    sim().invoke(PROCESS, writer, new ClientOp.SetAdd(KEY, element), done -> {
      if (done.type() == SimOp.Type.OK) {
        List<String> waiting = new ArrayList<>(nodes);
        waiting.remove(writer);
        poll(element, waiting, start);
      } else {
        again(start);
      }
    });
  }

  private void poll(String element, List<String> waiting, long start) {
    if (stopped) {
      return;
    }
    if (waiting.isEmpty()) {
      sample.accept((sim().now() - start) * 1_000_000);
      again(start);
      return;
    }
    if (sim().now() - start > maxWaitMillis) {
      again(start);
      return;
    }
    String node = waiting.get(0);
    sim().invoke(PROCESS, node, new ClientOp.SetRead(KEY), done -> {
      if (done.type() == SimOp.Type.OK && ((List<?>) done.value()).contains(element)) {
        waiting.remove(0);
        poll(element, waiting, start);
      } else {
        sim().at(sim().now() + POLL_MILLIS, () -> poll(element, waiting, start));
      }
    });
  }

  private void again(long start) {
    sim().at(Math.max(sim().now(), start + everyMillis), this::probe);
  }
}
