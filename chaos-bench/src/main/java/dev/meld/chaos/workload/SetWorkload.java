package dev.meld.chaos.workload;

import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds of unique integers to a few sets, with reads between them (Jepsen's set workload over
 * several keys); with removes, some acknowledged elements are removed again (for the
 * no-resurrection scenarios).
 *
 * <p>A remove is only sent to the node that acknowledged the element's add, and only once its add
 * completed. Meld's sets are observed-remove: a remove cancels the adds its replica has seen, so a
 * remove elsewhere could legitimately leave the element in place and would look resurrected (the
 * caveat of the {@code set-removes} checker). A node that loses its data forgets which adds it
 * acknowledged, so its elements are never removed afterwards.
 *
 * <p>Judged by {@code set-full} without removes, by {@code set-removes} with them ({@code set-full}
 * would count every removed element as lost).
 */
public final class SetWorkload implements Workload {

  private record Element(String key, long element) {}

  private final List<String> keys;
  private final double readShare;
  private final double removeShare;
  private final AtomicLong nextElement = new AtomicLong();
  // Per node: elements whose add that node acknowledged and which no request removed yet.
  private final Map<String, List<Element>> removable = new HashMap<>();

  /**
   * @param keys how many sets ({@code s0 ..})
   * @param readShare the share of requests that are reads
   * @param removeShare the share that are removes (when the node has something to remove); 0 for
   *     a workload without removes
   */
  public SetWorkload(int keys, double readShare, double removeShare) {
    Workloads.checkKeys(keys);
    Workloads.checkShare("readShare", readShare, false);
    Workloads.checkShare("removeShare", removeShare, false);
    if (readShare + removeShare >= 1) {
      throw new IllegalArgumentException(
          "readShare + removeShare: "
              + (readShare + removeShare)
              + " (expected: < 1, leaving room for adds)");
    }
    this.keys = Workloads.keyNames("s", keys);
    this.readShare = readShare;
    this.removeShare = removeShare;
  }

  /** Whether this workload removes elements. */
  public boolean removes() {
    return removeShare > 0;
  }

  @Override
  public String name() {
    return removes() ? "set-removes" : "set";
  }

  @Override
  public List<String> keys() {
    return keys;
  }

  @Override
  public Map<String, Checker> checkers() {
    String name = removes() ? "set-removes" : "set-full";
    return Map.of(name, Checkers.named(name));
  }

  @Override
  public Request next(String node, Random random) {
    double roll = random.nextDouble();
    if (roll < readShare) {
      return new Request(Request.Kind.SET_READ, keys.get(random.nextInt(keys.size())), 0);
    }
    if (roll < readShare + removeShare) {
      Element e = takeRemovable(node, random);
      if (e != null) {
        return new Request(Request.Kind.SET_REMOVE, e.key(), e.element());
      }
    }
    return new Request(
        Request.Kind.SET_ADD,
        keys.get(random.nextInt(keys.size())),
        nextElement.getAndIncrement());
  }

  private synchronized Element takeRemovable(String node, Random random) {
    List<Element> pool = removable.get(node);
    if (pool == null || pool.isEmpty()) {
      return null;
    }
    // Swap-remove: the order of the pool does not matter, only that each element leaves once.
    int i = random.nextInt(pool.size());
    Element e = pool.get(i);
    pool.set(i, pool.get(pool.size() - 1));
    pool.remove(pool.size() - 1);
    return e;
  }

  @Override
  public synchronized void completed(String node, Request request, OpType outcome) {
    if (removes() && request.kind() == Request.Kind.SET_ADD && outcome == OpType.OK) {
      removable
          .computeIfAbsent(node, n -> new ArrayList<>())
          .add(new Element(request.key(), request.argument()));
    }
  }

  @Override
  public synchronized void nodeLostData(String node) {
    removable.remove(node);
  }

  @Override
  public List<Request> finalReads() {
    List<Request> reads = new ArrayList<>();
    for (String key : keys) {
      reads.add(new Request(Request.Kind.FINAL_SET_READ, key, 0));
    }
    return reads;
  }
}
