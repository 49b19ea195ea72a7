package dev.meld.chaos.workload;

import dev.meld.chaos.checker.Checker;
import dev.meld.chaos.checker.Checkers;
import dev.meld.chaos.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p><b>With a {@link Prefill}</b> the first sets hold many members before the workload starts; the
 * pre-fill's node acknowledged them, so its clients may remove them like any add of theirs. A read
 * of such a set returns all of them, so reads of the pre-filled sets are rationed: one request in
 * {@value #PREFILLED_READ_EVERY} reads one of them (in turn), and the other reads go to the sets
 * that are not pre-filled (none when every set is, and the request adds instead). Without the ration
 * 20 % of the requests would each put 100,000 elements into the history. With removes the workload
 * is then judged by {@code set-full-kept} too: Jepsen's {@code set-full} over the elements no
 * remove was invoked for, which the pre-filled members mostly are.
 */
public final class SetWorkload implements Workload {

  private record Element(String key, long element) {}

  /** With a pre-fill, one request in this many reads a pre-filled set. */
  public static final int PREFILLED_READ_EVERY = 200;

  /**
   * With a pre-fill, the timeout of every request and final read. Reads of a 100,000-member set
   * took 0.75-1.2 s, and timed out at the default 2 s three times in five while the workload ran
   * (big_set on 2 busy cores); it stays under the 10 s the drain before a wipe waits for requests
   * in flight.
   */
  public static final Duration PREFILLED_TIMEOUT = Duration.ofSeconds(5);

  private final List<String> keys;
  private final double readShare;
  private final double removeShare;
  private final Prefill prefill;
  private final int prefilled;
  private final AtomicLong nextElement;
  private final AtomicLong requests = new AtomicLong();
  // Per node: elements whose add that node acknowledged and which no request removed yet.
  private final Map<String, List<Element>> removable = new HashMap<>();

  /**
   * @param keys how many sets ({@code s0 ..})
   * @param readShare the share of requests that are reads
   * @param removeShare the share that are removes (when the node has something to remove); 0 for
   *     a workload without removes
   */
  public SetWorkload(int keys, double readShare, double removeShare) {
    this(keys, readShare, removeShare, null);
  }

  /**
   * As above, with the first sets pre-filled before the warm-up.
   *
   * @param prefill the pre-fill, or null for none
   * @throws IllegalArgumentException if it pre-fills more sets than there are
   */
  public SetWorkload(int keys, double readShare, double removeShare, Prefill prefill) {
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
    this.prefill = prefill;
    this.prefilled = prefill == null ? 0 : prefill.keys(this.keys).size();
    this.nextElement = new AtomicLong(prefill == null ? 0 : prefill.workloadElements());
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
    if (!removes()) {
      return Map.of("set-full", Checkers.named("set-full"));
    }
    Map<String, Checker> checkers = new LinkedHashMap<>();
    checkers.put("set-removes", Checkers.named("set-removes"));
    if (prefill != null) {
      checkers.put("set-full-kept", Checkers.named("set-full-kept"));
    }
    return checkers;
  }

  @Override
  public Optional<Prefill> prefill() {
    return Optional.ofNullable(prefill);
  }

  @Override
  public Optional<Duration> clientTimeout() {
    return prefill == null ? Optional.empty() : Optional.of(PREFILLED_TIMEOUT);
  }

  @Override
  public Request next(String node, Random random) {
    long n = requests.getAndIncrement();
    if (prefilled > 0 && n % PREFILLED_READ_EVERY == PREFILLED_READ_EVERY - 1) {
      String key = keys.get((int) (n / PREFILLED_READ_EVERY % prefilled));
      return new Request(Request.Kind.SET_READ, key, 0);
    }
    double roll = random.nextDouble();
    if (roll < readShare) {
      if (prefilled < keys.size()) {
        return new Request(
            Request.Kind.SET_READ, keys.get(prefilled + random.nextInt(keys.size() - prefilled)), 0);
      }
    } else if (roll < readShare + removeShare) {
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
  public synchronized void prefilled(String node, String key, List<Long> elements) {
    if (removes()) {
      List<Element> pool = removable.computeIfAbsent(node, n -> new ArrayList<>());
      for (long e : elements) {
        pool.add(new Element(key, e));
      }
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
