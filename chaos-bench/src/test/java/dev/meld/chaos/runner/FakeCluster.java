package dev.meld.chaos.runner;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeClientException;
import dev.meld.chaos.cluster.NodeHealth;
import dev.meld.chaos.cluster.NodeUnreachable;
import dev.meld.chaos.nemesis.Grudge;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster in memory for testing the runner: every node serves one shared, perfectly consistent
 * state, so a correct run converges at once. Faults are recorded and answered with receipts of the
 * status a test chose; a killed, paused or terminated node refuses requests (indeterminate) until
 * it is back, under a new incarnation after a kill, a wipe or a restore. A backup records the copy's
 * name; a restore of a name never backed up fails and changes nothing. Switches make it misbehave:
 * {@link #loseEvery} acknowledges some increments without applying them, {@link #failStart} makes
 * the start throw, {@link #reuseIncarnations} brings crashed and restored nodes back under their
 * old incarnation, {@link #failBackups} fails every backup, {@link #failSaddAll} times out
 * multi-member SADDs, {@link #lagging} makes a node's SCARD fall short.
 */
public final class FakeCluster implements Cluster {

  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final Map<FaultKind, String> unsupported = new EnumMap<>(FaultKind.class);
  volatile FaultReceipt.Status status = FaultReceipt.Status.VERIFIED;
  volatile int loseEvery;
  volatile boolean failStart;
  volatile boolean reuseIncarnations;
  /** How long a restart takes (a real node waits until it is ready). */
  volatile long restartMillis;
  /** Requests in flight when each wipe was applied. */
  final List<Integer> inFlightAtWipe = Collections.synchronizedList(new ArrayList<>());
  /** Requests in flight when each restore was applied. */
  final List<Integer> inFlightAtRestore = Collections.synchronizedList(new ArrayList<>());
  volatile boolean failBackups;
  /** How many of the next multi-member SADDs time out (indeterminate) after taking effect. */
  final AtomicInteger failSaddAll = new AtomicInteger();
  /** The timeout of every client handed out, in order. */
  final List<Duration> clientTimeouts = Collections.synchronizedList(new ArrayList<>());
  /** Multi-member SADDs received. */
  final AtomicInteger saddCalls = new AtomicInteger();
  /** A node whose SCARD reports one member short, as a replica that never catches up; null: none. */
  volatile String lagging;

  private final List<String> members = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> down = Collections.synchronizedSet(new HashSet<>());
  private final Set<String> crashed = Collections.synchronizedSet(new HashSet<>());
  private final Map<String, Long> counters = new TreeMap<>();
  // Insertion-ordered sets: a pre-fill adds 100,000 members, which a list's contains() would make quadratic.
  private final Map<String, java.util.LinkedHashSet<String>> sets = new TreeMap<>();
  private final AtomicLong increments = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Long> incarnations = new HashMap<>();
  /** "node/copy" of every backup taken. */
  private final Set<String> copies = Collections.synchronizedSet(new HashSet<>());
  private final Path logDir;
  boolean started;
  boolean closed;

  /** Client requests being served now. */
  int inFlight() {
    return inFlight.get();
  }

  public FakeCluster(int nodes, Path logDir) {
    for (int i = 1; i <= nodes; i++) {
      members.add("n" + i);
    }
    this.logDir = logDir;
  }

  /** A factory handing out this cluster (one run). */
  public ClusterFactory factory() {
    return (nodes, spares, dir) -> this;
  }

  @Override
  public String backend() {
    return "fake";
  }

  @Override
  public List<String> nodes() {
    synchronized (members) {
      return List.copyOf(members);
    }
  }

  @Override
  public void start() throws Exception {
    if (failStart) {
      throw new IllegalStateException("n2 did not become ready in 60 s");
    }
    started = true;
  }

  @Override
  public NodeClient client(String node) {
    return client(node, Duration.ofSeconds(1));
  }

  @Override
  public NodeClient client(String node, Duration timeout) {
    clientTimeouts.add(timeout);
    return new Client(node);
  }

  @Override
  public synchronized NodeHealth health(String node) throws NodeUnreachable {
    if (down.contains(node)) {
      throw new NodeUnreachable(node, "connection refused", null);
    }
    String digest = Integer.toHexString(counters.hashCode() * 31 + sets.hashCode());
    List<NodeHealth.Member> view = new ArrayList<>();
    for (String m : nodes()) {
      view.add(new NodeHealth.Member(m, m.equals(node) ? "SELF" : "LIVE", 0));
    }
    return new NodeHealth(
        node,
        incarnations.getOrDefault(node, 1L),
        true,
        false,
        System.currentTimeMillis(),
        0,
        counters.size() + sets.size(),
        digest,
        view,
        JsonNodeFactory.instance.objectNode());
  }

  @Override
  public Optional<String> unsupported(FaultKind kind) {
    return Optional.ofNullable(unsupported.get(kind));
  }

  private FaultReceipt fault(FaultKind kind, String call, List<String> targets) {
    calls.add(call);
    Instant now = Instant.now();
    return new FaultReceipt(kind, targets, now, now, status, "fake: " + call);
  }

  @Override
  public FaultReceipt kill(String node) {
    down.add(node);
    crashed.add(node);
    return fault(FaultKind.KILL, "kill " + node, List.of(node));
  }

  @Override
  public FaultReceipt restart(String node) {
    try {
      Thread.sleep(restartMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return restarted(node);
  }

  private synchronized FaultReceipt restarted(String node) {
    if (crashed.remove(node) && !reuseIncarnations) {
      incarnations.put(node, incarnations.getOrDefault(node, 1L) + 1); // a crashed node comes back as a new incarnation
    }
    down.remove(node);
    return fault(FaultKind.RESTART, "restart " + node, List.of(node));
  }

  @Override
  public FaultReceipt pause(String node) {
    down.add(node);
    return fault(FaultKind.PAUSE, "pause " + node, List.of(node));
  }

  @Override
  public FaultReceipt resume(String node) {
    down.remove(node);
    return fault(FaultKind.RESUME, "resume " + node, List.of(node));
  }

  @Override
  public FaultReceipt terminate(String node) {
    down.add(node);
    return fault(FaultKind.TERMINATE, "terminate " + node, List.of(node));
  }

  @Override
  public synchronized FaultReceipt wipe(String node) {
    inFlightAtWipe.add(inFlight.get());
    incarnations.put(node, incarnations.getOrDefault(node, 1L) + 1);
    return fault(FaultKind.WIPE, "wipe " + node, List.of(node));
  }

  @Override
  public FaultReceipt backup(String node, String copy) {
    if (failBackups) {
      calls.add("backup " + node + " " + copy);
      Instant now = Instant.now();
      return new FaultReceipt(FaultKind.BACKUP, List.of(node), now, now, FaultReceipt.Status.FAILED, "fake: no copy taken");
    }
    copies.add(node + "/" + copy);
    return fault(FaultKind.BACKUP, "backup " + node + " " + copy, List.of(node));
  }

  @Override
  public synchronized FaultReceipt restore(String node, String copy) {
    if (!copies.contains(node + "/" + copy)) {
      calls.add("restore " + node + " " + copy);
      Instant now = Instant.now();
      return new FaultReceipt(
          FaultKind.RESTORE, List.of(node), now, now, FaultReceipt.Status.FAILED, "fake: no copy " + copy + " of " + node);
    }
    inFlightAtRestore.add(inFlight.get());
    if (!reuseIncarnations) {
      incarnations.put(node, incarnations.getOrDefault(node, 1L) + 1);
    }
    return fault(FaultKind.RESTORE, "restore " + node + " " + copy, List.of(node));
  }

  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    return fault(FaultKind.PARTITION, "partition " + grudge.drops(), List.copyOf(grudge.drops().keySet()));
  }

  @Override
  public FaultReceipt heal() {
    return fault(FaultKind.HEAL, "heal", List.of());
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    return fault(FaultKind.SLOW, "slow " + from + "->" + to, List.of(from, to));
  }

  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    return fault(FaultKind.LOSSY, "lossy " + from + "->" + to, List.of(from, to));
  }

  @Override
  public FaultReceipt clockOffset(String node, Duration offset) {
    return fault(FaultKind.CLOCK_OFFSET, "clock " + node + " " + offset, List.of(node));
  }

  @Override
  public FaultReceipt join(String node) {
    members.add(node);
    return fault(FaultKind.JOIN, "join " + node, List.of(node));
  }

  @Override
  public FaultReceipt leave(String node) {
    members.remove(node);
    return fault(FaultKind.LEAVE, "leave " + node, List.of(node));
  }

  @Override
  public Path logDir() {
    return logDir;
  }

  @Override
  public void close() {
    closed = true;
  }

  private final class Client implements NodeClient {
    private final String node;

    Client(String node) {
      this.node = node;
    }

    @Override
    public String node() {
      return node;
    }

    private <T> T serve(String what, java.util.function.Supplier<T> op) {
      inFlight.incrementAndGet();
      try {
        if (down.contains(node)) {
          throw new NodeClientException(node, what + ": connection refused", true, null);
        }
        synchronized (FakeCluster.this) {
          return op.get();
        }
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public long incrBy(String key, long delta) {
      return serve("INCRBY", () -> add(key, delta));
    }

    @Override
    public long decrBy(String key, long delta) {
      return serve("DECRBY", () -> add(key, -delta));
    }

    private long add(String key, long delta) {
      if (loseEvery > 0 && delta > 0 && increments.incrementAndGet() % loseEvery == 0) {
        return counters.getOrDefault(key, 0L) + delta; // acknowledged, never applied
      }
      return counters.merge(key, delta, Long::sum);
    }

    @Override
    public long counterGet(String key) {
      return serve("GET", () -> counters.getOrDefault(key, 0L));
    }

    @Override
    public long sadd(String key, String member) {
      return serve(
          "SADD",
          () -> sets.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>()).add(member) ? 1L : 0L);
    }

    @Override
    public void saddAll(String key, List<String> members) {
      if (members.isEmpty()) {
        throw new IllegalArgumentException("SADD " + key + ": no members (expected: at least one)");
      }
      saddCalls.incrementAndGet();
      serve(
          "SADD",
          () -> {
            boolean added = sets.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>()).addAll(members);
            if (failSaddAll.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              throw new NodeClientException(node, "SADD " + key + ": Read timed out", true, null);
            }
            return added;
          });
    }

    @Override
    public long scard(String key) {
      return serve(
          "SCARD",
          () -> {
            long size = sets.getOrDefault(key, new java.util.LinkedHashSet<>()).size();
            return node.equals(lagging) ? Math.max(0, size - 1) : size;
          });
    }

    @Override
    public long srem(String key, String member) {
      return serve("SREM", () -> sets.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>()).remove(member) ? 1L : 0L);
    }

    @Override
    public List<String> smembers(String key) {
      return serve("SMEMBERS", () -> List.copyOf(sets.getOrDefault(key, new java.util.LinkedHashSet<>())));
    }

    @Override
    public long waitReplicas(int replicas, Duration timeout) {
      return serve("WAIT", () -> (long) replicas);
    }

    @Override
    public void close() {}
  }
}
