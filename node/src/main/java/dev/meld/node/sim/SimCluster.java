package dev.meld.node.sim;

import dev.meld.node.DrainStatus;
import dev.meld.node.Member;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.store.MemoryImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A Meld cluster in one thread on virtual time: real {@code Replica}s over in-memory stores, a
 * seeded network, clients and faults, driven like a real cluster. The chaos bench's {@code sim}
 * backend and the simulator's own {@link Simulation} use it the same way: invoke client ops, inject
 * faults, {@link #advance} time, then {@link #quiescent() wait for quiet}, {@link #finalReads read
 * everything} and check the history.
 *
 * <p>Every source of randomness is split from {@link SimConfig#seed()} in a fixed order, nothing
 * reads the wall clock, and no iteration order depends on hashing, so one seed is one run, event
 * for event ({@link Trace#fingerprint()}).
 *
 * <p>Faults, as Jepsen's nemeses do them: {@link #partition} (a {@link Grudge}, directed links),
 * {@link #crash} (SIGKILL: the process and its memory are gone, the store keeps what it committed),
 * {@link #stop} (SIGTERM: clean close), {@link #restart}, {@link #pause} (SIGSTOP: messages and
 * requests wait), {@link #resume}, {@link #skewClock} and {@link #jumpClock}, {@link #wipe} (disk
 * lost: the node rejoins empty under a new incarnation), {@link #join} and {@link #leave}. Each is
 * recorded in the history as a nemesis op.
 */
public final class SimCluster {

  private final SimConfig config;
  private final EventQueue queue = new EventQueue();
  private final Trace trace;
  private final HistoryLog history;
  private final SplittableRandom nodeRandoms;
  private final SplittableRandom edgeRandom;
  private final SimNetwork network;
  private final Map<String, SimNode> nodes = new TreeMap<>();
  private final List<String> members = new ArrayList<>();
  private final List<Violation> failures = new ArrayList<>();
  private final ReplicaCalls calls;
  private final WriteLedger ledger = new WriteLedger();
  private int nodesCreated;

  private SimCluster(SimConfig config, HistorySink history, Trace trace) {
    this.config = config;
    this.history = new HistoryLog(queue, history, trace);
    this.trace = trace;
    SplittableRandom root = new SplittableRandom(config.seed());
    this.nodeRandoms = root.split();
    this.edgeRandom = root.split();
    this.network = new SimNetwork(queue, root.split(), config.network(), trace, this::arrive);
    this.calls = new ReplicaCalls(this);
  }

  /**
   * Starts {@link SimConfig#nodes()} members at virtual time 0, each seeded with all of them.
   *
   * @param history where every op goes, in index order
   * @param trace where every event goes
   */
  public static SimCluster start(SimConfig config, HistorySink history, Trace trace) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(trace, "trace");
    SimCluster cluster = new SimCluster(config, history, trace);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < config.nodes(); i++) {
      names.add("n" + (++cluster.nodesCreated));
    }
    for (String name : names) {
      cluster.create(name, names);
    }
    for (String name : names) {
      cluster.calls.start(cluster.nodes.get(name));
    }
    return cluster;
  }

  // ------------------------------------------------------------------------------ time

  /** The virtual time, in milliseconds since the cluster started. */
  public long now() {
    return queue.now();
  }

  /** Runs everything due in the next {@code millis} milliseconds. */
  public void advance(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("millis: " + millis + " (expected: >= 0)");
    }
    queue.runUntil(queue.now() + millis);
  }

  /** Runs everything due up to virtual time {@code time}. */
  public void advanceTo(long time) {
    queue.runUntil(time);
  }

  /** Schedules {@code action} at virtual time {@code time} (for drivers that plan ahead). */
  public void at(long time, Runnable action) {
    queue.at(time, action);
  }

  // ---------------------------------------------------------------------------- clients

  /**
   * Sends {@code op} from client {@code process} to {@code node}. The invocation is recorded now;
   * the completion later: {@code ok} or {@code fail} from the node's reply, {@code fail} at once if
   * the node has no running process (connection refused), {@code info} if the process dies before
   * executing it or no reply comes within the client timeout.
   *
   * @param onComplete called with the completion op
   * @throws IllegalArgumentException if {@code node} was never a member
   */
  public void invoke(int process, String node, ClientOp op, Consumer<SimOp> onComplete) {
    if (process < 0) {
      throw new IllegalArgumentException("process: " + process + " (expected: >= 0)");
    }
    SimNode target = node(node);
    SimOp invocation =
        history.record(SimOp.Type.INVOKE, process, op.f(), op.key(), op.invokeValue(), node, null);
    ClientCall call = new ClientCall(process, op, node, invocation.index(), onComplete);
    if (!target.isRunning()) {
      history.complete(call, SimOp.Type.FAIL, op.invokeValue(), "connection refused");
      return;
    }
    target.pending.add(call);
    long epoch = target.epoch;
    queue.after(edgeDelay(), () -> calls.arrive(target, call, epoch));
    queue.after(
        config.clientTimeoutMillis(),
        () -> {
          if (!call.done) {
            history.complete(call, SimOp.Type.INFO, op.invokeValue(), "timeout");
          }
        });
  }

  /**
   * Reads every key in {@code counters} and {@code sets} directly on every running member, as the
   * history's {@code final-read} ops, and returns the values by node and key.
   */
  public Map<String, Map<String, Object>> finalReads(List<String> counters, List<String> sets) {
    Map<String, Map<String, Object>> reads = new TreeMap<>();
    int process = 1_000_000;
    for (String name : members) {
      SimNode node = nodes.get(name);
      if (node.state != SimNode.State.UP) {
        continue;
      }
      Map<String, Object> values = new TreeMap<>();
      List<ClientOp> ops = new ArrayList<>();
      counters.forEach(k -> ops.add(new ClientOp.CounterRead(k)));
      sets.forEach(k -> ops.add(new ClientOp.SetRead(k)));
      for (ClientOp op : ops) {
        process++;
        history.record(SimOp.Type.INVOKE, process, "final-read", op.key(), null, name, null);
        Object value = calls.read(node, op);
        if (value != null) {
          values.put(op.key(), value);
          history.record(SimOp.Type.OK, process, "final-read", op.key(), value, name, null);
        } else {
          history.record(
              SimOp.Type.INFO, process, "final-read", op.key(), null, name, "replica failed");
        }
      }
      reads.put(name, values);
    }
    return reads;
  }

  // ---------------------------------------------------------------------------- network

  /** Cuts the links {@code grudge} names (replacing any earlier partition). */
  public void partition(Grudge grudge) {
    history.nemesis("partition", null, grudge.toString());
    network.setGrudge(grudge);
  }

  /** Sets the mesh's delay, loss and duplication. */
  public void setNetwork(NetworkProfile profile) {
    history.nemesis("network", null, profile.toString());
    network.setProfile(profile);
  }

  /** The partition in force. */
  public Grudge grudge() {
    return network.grudge();
  }

  /**
   * Ends every fault: no partition, the configured network, every paused member resumed and every
   * member without a process restarted. Clock offsets stay (convergence must not need clocks).
   */
  public void heal() {
    history.nemesis("heal", null, null);
    network.setGrudge(Grudge.none());
    network.setProfile(config.network());
    for (String name : members) {
      SimNode node = nodes.get(name);
      if (node.state == SimNode.State.PAUSED) {
        resume(name);
      } else if (node.state == SimNode.State.DOWN) {
        restart(name);
      }
    }
  }

  // ---------------------------------------------------------------------------- processes

  /** Kills {@code node}'s process (SIGKILL); no-op if it has none. */
  public void crash(String node) {
    SimNode n = node(node);
    if (!n.isRunning()) {
      return;
    }
    history.nemesis("crash", node, node);
    calls.kill(n);
  }

  /** Stops {@code node}'s process cleanly (SIGTERM without drain): it keeps its incarnation. */
  public void stop(String node) {
    SimNode n = node(node);
    if (n.state != SimNode.State.UP) {
      return;
    }
    history.nemesis("stop", node, node);
    calls.stopCleanly(n);
  }

  /** Starts a process on {@code node}'s disk if it has none; no-op otherwise. */
  public void restart(String node) {
    SimNode n = node(node);
    if (n.state != SimNode.State.DOWN) {
      return;
    }
    history.nemesis("restart", node, node);
    calls.start(n);
  }

  /** Freezes {@code node} (SIGSTOP): nothing runs there, messages and requests wait. */
  public void pause(String node) {
    SimNode n = node(node);
    if (n.state != SimNode.State.UP) {
      return;
    }
    history.nemesis("pause", node, node);
    n.state = SimNode.State.PAUSED;
  }

  /** Thaws {@code node} (SIGCONT): what waited is handled now, in arrival order. */
  public void resume(String node) {
    SimNode n = node(node);
    if (n.state != SimNode.State.PAUSED) {
      return;
    }
    history.nemesis("resume", node, node);
    calls.resume(n);
  }

  /** Sets {@code node}'s clock to virtual time plus {@code offsetMillis} (may be negative). */
  public void skewClock(String node, long offsetMillis) {
    SimNode n = node(node);
    history.nemesis("skew", node, offsetMillis);
    n.clockOffset = offsetMillis;
  }

  /** Moves {@code node}'s clock by {@code deltaMillis} from where it is (a bump or a step back). */
  public void jumpClock(String node, long deltaMillis) {
    SimNode n = node(node);
    history.nemesis("jump", node, deltaMillis);
    n.clockOffset += deltaMillis;
  }

  /**
   * Destroys {@code node}'s disk and starts it empty: it takes a new incarnation and catches up
   * from its peers. The nemesis op lists, as {@code unreplicated}, the acknowledged writes (made
   * anywhere) that only this disk provably held: a wipe may legitimately lose those.
   */
  public void wipe(String node) {
    SimNode n = node(node);
    if (n.state == SimNode.State.GONE) {
      return;
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("node", node);
    value.put("unreplicated", unreplicated(n));
    history.nemesis("wipe", node, Collections.unmodifiableMap(value));
    if (n.isRunning()) {
      calls.kill(n);
    }
    n.disk = MemoryImage.empty();
    n.diskGeneration++;
    n.closedCleanly = false;
    calls.start(n);
  }

  /**
   * Starts a new member, empty, seeded with the current members; returns its name. Its seeds do not
   * name it: a node named in its own seeds is a founding member, ready without any peer.
   */
  public String join() {
    String name = "n" + (++nodesCreated);
    history.nemesis("join", name, name);
    List<String> seeds = new ArrayList<>(members);
    calls.start(create(name, seeds));
    return name;
  }

  /**
   * Asks {@code node} to leave: it drains (refusing writes) until {@code timeoutMillis} at most,
   * removes itself from the member set, and stops for good. Writes it acknowledged that no other
   * node applied are listed in the {@code leave-done} op, like a wipe's.
   */
  public void leave(String node, long timeoutMillis) {
    SimNode n = node(node);
    if (n.state != SimNode.State.UP || !members.contains(node)) {
      return;
    }
    history.nemesis("leave", node, node);
    calls.leave(n, timeoutMillis);
  }

  // ---------------------------------------------------------------------------- observing

  /** The members, in the order they joined (not the ones that left). */
  public List<String> members() {
    return List.copyOf(members);
  }

  /** Whether {@code node} has a process that is not paused. */
  public boolean isUp(String node) {
    return node(node).state == SimNode.State.UP;
  }

  /** {@code node}'s status, or empty if it has no process or is paused (it would not answer). */
  public Optional<ReplicaStatus> status(String node) {
    SimNode n = node(node);
    return n.state == SimNode.State.UP ? calls.status(n) : Optional.empty();
  }

  /** {@code node}'s drain status, or {@link DrainStatus#NOT_DRAINING} without a process. */
  public DrainStatus drainStatus(String node) {
    return status(node).map(ReplicaStatus::drain).orElse(DrainStatus.NOT_DRAINING);
  }

  /**
   * Whether the cluster is quiet: every member up, one root digest, every backlog towards a member
   * empty, no member counting a peer as further along its log than the peer's store is, nobody
   * draining.
   */
  public boolean quiescent() {
    return Quiescence.problems(this, members).isEmpty();
  }

  /** Replica exceptions and other failures seen so far (the node that threw was crashed). */
  public List<Violation> failures() {
    return List.copyOf(failures);
  }

  /** How many events have run. */
  public long events() {
    return queue.executed();
  }

  // ---------------------------------------------------------------------------- internals

  SimNode node(String name) {
    SimNode node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException(
          "node: \"" + name + "\" (expected: one of " + nodes.keySet() + ")");
    }
    return node;
  }

  SimConfig config() {
    return config;
  }

  EventQueue queue() {
    return queue;
  }

  Trace trace() {
    return trace;
  }

  SimNetwork network() {
    return network;
  }

  void removeMember(String name) {
    members.remove(name);
  }

  void fail(Violation violation) {
    failures.add(violation);
    trace.note(queue.now(), violation.toString());
  }

  long edgeDelay() {
    return 1 + edgeRandom.nextLong(config.clientDelayMillis());
  }

  private SimNode create(String name, List<String> seeds) {
    List<Member> seedMembers = new ArrayList<>();
    seeds.forEach(s -> seedMembers.add(new Member(s, "sim:" + s)));
    ReplicaConfig replica =
        config
            .replica()
            .apply(SimConfig.replicaDefaults(ReplicaConfig.builder(name)))
            .address("sim:" + name)
            .seeds(seedMembers)
            .misbehaviors(config.misbehaviors())
            .build();
    SimNode node = new SimNode(name, replica, nodeRandoms.split());
    nodes.put(name, node);
    members.add(name);
    return node;
  }

  /** Frames arrive here from the network. */
  private void arrive(String from, String to, byte[] frame, long epoch) {
    calls.deliver(nodes.get(to), from, frame, epoch);
  }

  HistoryLog history() {
    return history;
  }

  WriteLedger ledger() {
    return ledger;
  }

  /** The acknowledged writes only {@code lost}'s disk holds (see {@link WriteLedger}). */
  List<Long> unreplicated(SimNode lost) {
    return ledger.unreplicated(lost, nodes.values());
  }
}
