package dev.meld.node.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The simulated clients: a fixed number of concurrent processes, each issuing one op at a time to a
 * random member, with a random think time between ops, until a deadline. A process whose op ends
 * {@code info} is retired and replaced under a new process number, as in Jepsen (it cannot know
 * whether its last op happened, so it must not look like the same client going on).
 *
 * <p>The mix: counter deltas (mostly increments, some decrements, 1 to 5) and counter reads; set
 * adds of fresh elements (each element is added once, so a remove's effect is checkable), removes
 * of elements added earlier, and set reads.
 */
final class Workload {

  private final SimCluster cluster;
  private final RandomGenerator random;
  private final List<String> counters;
  private final List<String> sets;
  private final long meanThinkMillis;
  private final Map<String, List<String>> added = new TreeMap<>();
  private int nextProcess;
  private int nextElement;
  private long until;

  Workload(
      SimCluster cluster,
      RandomGenerator random,
      List<String> counters,
      List<String> sets,
      long meanThinkMillis) {
    this.cluster = cluster;
    this.random = random;
    this.counters = List.copyOf(counters);
    this.sets = List.copyOf(sets);
    this.meanThinkMillis = meanThinkMillis;
    sets.forEach(k -> added.put(k, new ArrayList<>()));
  }

  /** Starts {@code clients} processes that issue ops until virtual time {@code until}. */
  void start(int clients, long until) {
    this.until = until;
    for (int i = 0; i < clients; i++) {
      int process = nextProcess++;
      cluster.queue().after(random.nextLong(meanThinkMillis + 1), () -> next(process));
    }
  }

  private void next(int process) {
    List<String> members = cluster.members();
    if (cluster.now() >= until || members.isEmpty()) {
      return;
    }
    String node = members.get(random.nextInt(members.size()));
    cluster.invoke(
        process,
        node,
        nextOp(),
        done -> {
          int successor = done.type() == SimOp.Type.INFO ? nextProcess++ : process;
          cluster.queue().after(random.nextLong(2 * meanThinkMillis + 1), () -> next(successor));
        });
  }

  private ClientOp nextOp() {
    int roll = random.nextInt(100);
    if (roll < 35) {
      long delta = 1 + random.nextInt(5);
      return new ClientOp.CounterAdd(pick(counters), random.nextInt(10) < 3 ? -delta : delta);
    }
    if (roll < 45) {
      return new ClientOp.CounterRead(pick(counters));
    }
    String key = pick(sets);
    List<String> elements = added.get(key);
    if (roll < 60 && !elements.isEmpty()) {
      return new ClientOp.SetRemove(key, elements.get(random.nextInt(elements.size())));
    }
    if (roll < 75) {
      return new ClientOp.SetRead(key);
    }
    String element = "e" + nextElement++;
    elements.add(element);
    return new ClientOp.SetAdd(key, element);
  }

  private String pick(List<String> keys) {
    return keys.get(random.nextInt(keys.size()));
  }
}
