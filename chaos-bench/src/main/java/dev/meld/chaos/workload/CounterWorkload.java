package dev.meld.chaos.workload;

import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.history.OpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Increments and decrements of small deltas on a few counters, with reads between them: Jepsen's
 * counter workload over several keys ({@code independent} tuples), with decrements as in
 * Maelstrom's pn-counter. Judged by {@code pn-counter} (every read within the bounds the
 * acknowledged and indeterminate deltas allow; the final reads, since reads while the workload
 * runs are {@code local-read}s), {@code pn-counter-final} (each final read is the sum of the
 * acknowledged deltas plus some of the indeterminate ones) and {@link LocalReadChecker} (each
 * {@code local-read} within what a replica may hold).
 */
public final class CounterWorkload implements Workload {

  /** Deltas are drawn from {@code ±1 .. MAX_DELTA}. */
  static final int MAX_DELTA = 5;

  private final List<String> keys;
  private final double readShare;
  private final double decrementShare;

  /**
   * @param keys how many counters ({@code c0 ..})
   * @param readShare the share of requests that are reads, in {@code [0, 1)}
   * @param decrementShare the share of deltas that are negative, in {@code [0, 1]}
   */
  public CounterWorkload(int keys, double readShare, double decrementShare) {
    Workloads.checkKeys(keys);
    Workloads.checkShare("readShare", readShare, false);
    Workloads.checkShare("decrementShare", decrementShare, true);
    this.keys = Workloads.keyNames("c", keys);
    this.readShare = readShare;
    this.decrementShare = decrementShare;
  }

  @Override
  public String name() {
    return "counter";
  }

  @Override
  public List<String> keys() {
    return keys;
  }

  @Override
  public Map<String, Checker> checkers() {
    Map<String, Checker> checkers = new LinkedHashMap<>();
    checkers.put("pn-counter", Checkers.named("pn-counter"));
    checkers.put("pn-counter-final", Checkers.named("pn-counter-final"));
    checkers.put(LocalReadChecker.NAME, new LocalReadChecker());
    return checkers;
  }

  @Override
  public Request next(String node, Random random) {
    String key = keys.get(random.nextInt(keys.size()));
    if (random.nextDouble() < readShare) {
      return new Request(Request.Kind.COUNTER_READ, key, 0);
    }
    long delta = 1 + random.nextInt(MAX_DELTA);
    return new Request(
        Request.Kind.COUNTER_ADD, key, random.nextDouble() < decrementShare ? -delta : delta);
  }

  @Override
  public void completed(String node, Request request, OpType outcome) {
    // Counters keep no state between requests.
  }

  @Override
  public void nodeLostData(String node) {
    // Nothing depends on what a node holds.
  }

  @Override
  public List<Request> finalReads() {
    List<Request> reads = new ArrayList<>();
    for (String key : keys) {
      reads.add(new Request(Request.Kind.FINAL_COUNTER_READ, key, 0));
    }
    return reads;
  }
}
