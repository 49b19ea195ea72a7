package dev.meld.chaos.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.cluster.NodeClient;
import dev.meld.chaos.cluster.NodeHealth;
import dev.meld.chaos.cluster.NodeUnreachable;
import dev.meld.chaos.nemesis.Grudge;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.sim.NetworkProfile;
import dev.meld.node.sim.SimCluster;
import dev.meld.node.sim.SimConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link Cluster} interface over the deterministic simulator, so the scenarios' nemeses,
 * convergence watch and final reads run unchanged in virtual time. Everything happens on the
 * caller's thread: a fault, a health request or a client operation that needs time to pass (a
 * restart becoming ready, a reply) runs the simulation forward until it is done, bounded.
 *
 * <p>Where the simulator has no exact equivalent the receipt says so: a slow or lossy link changes
 * every link alike (the simulated network has one profile), a SIGTERM is a clean stop without a
 * drain, and a node's clock is moved by setting its offset. Backup and restore steps are
 * unsupported: the simulator keeps no copies of a node's store to put back.
 */
final class SimBackedCluster implements Cluster {

  /** How long (virtual) a restart, wipe, join or leave may take to settle. */
  static final long SETTLE_MILLIS = 10_000;

  /** How long (virtual) receivers may take to see a partition: a few peer-dead timeouts. */
  static final long VIEW_MILLIS = 5_000;

  private final SimCluster sim;
  private final SimConfig config;
  private final Path logDir;
  private int nextProcess = 10_000_000;

  SimBackedCluster(SimCluster sim, SimConfig config, Path logDir) {
    this.sim = sim;
    this.config = config;
    this.logDir = logDir;
  }

  SimCluster sim() {
    return sim;
  }

  /** Runs the simulation forward until {@code done}, at most {@code millis}; whether it was. */
  boolean advanceUntil(BooleanSupplier done, long millis) {
    long end = sim.now() + millis;
    while (!done.getAsBoolean()) {
      if (sim.now() >= end) {
        return false;
      }
      sim.advance(Math.min(5, end - sim.now()));
    }
    return true;
  }

  int nextProcess() {
    return nextProcess++;
  }

  @Override
  public String backend() {
    return "sim";
  }

  @Override
  public List<String> nodes() {
    return sim.members();
  }

  @Override
  public void start() {
    if (!advanceUntil(() -> nodes().stream().allMatch(this::ready), SETTLE_MILLIS)) {
      throw new IllegalStateException(
          "simulated nodes not ready after " + SETTLE_MILLIS + " virtual ms: " + notReady());
    }
  }

  private List<String> notReady() {
    return nodes().stream().filter(n -> !ready(n)).toList();
  }

  private boolean ready(String node) {
    return sim.status(node).map(ReplicaStatus::ready).orElse(false);
  }

  @Override
  public NodeClient client(String node) {
    return client(node, Duration.ofMillis(config.clientTimeoutMillis()));
  }

  @Override
  public NodeClient client(String node, Duration timeout) {
    return new SimNodeClient(this, node);
  }

  @Override
  public NodeHealth health(String node) throws NodeUnreachable {
    Optional<ReplicaStatus> status = sim.status(node);
    if (status.isEmpty()) {
      throw new NodeUnreachable(node, "no running, unpaused process", null);
    }
    ReplicaStatus s = status.get();
    List<NodeHealth.Member> members = new ArrayList<>();
    for (ReplicaStatus.MemberStatus m : s.members()) {
      long backlog = s.peer(m.name()).map(ReplicaStatus.PeerStatus::backlogEntries).orElse(0L);
      members.add(new NodeHealth.Member(m.name(), m.state().name(), backlog));
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("node", s.node()).put("incarnation", s.incarnation()).put("rootDigest", s.rootDigest());
    return new NodeHealth(
        s.node(),
        s.incarnation(),
        s.ready(),
        s.drain().draining(),
        -1,
        s.hlcLast(),
        s.keyCount(),
        s.rootDigest(),
        members,
        json);
  }

  @Override
  public Optional<String> unsupported(FaultKind kind) {
    if (kind == FaultKind.BACKUP || kind == FaultKind.RESTORE) {
      return Optional.of(
          "the simulator keeps no copies of a node's store to put back (run the scenario with --backend local)");
    }
    return Optional.empty();
  }

  @Override
  public FaultReceipt backup(String node, String copy) {
    return skipped(FaultKind.BACKUP, node);
  }

  @Override
  public FaultReceipt restore(String node, String copy) {
    return skipped(FaultKind.RESTORE, node);
  }

  private FaultReceipt skipped(FaultKind kind, String node) {
    requireMember(node);
    Instant now = Instant.EPOCH.plusMillis(sim.now());
    return new FaultReceipt(
        kind, List.of(node), now, now, FaultReceipt.Status.SKIPPED, unsupported(kind).orElseThrow());
  }

  private FaultReceipt receipt(FaultKind kind, List<String> targets, boolean verified, String detail) {
    Instant now = Instant.EPOCH.plusMillis(sim.now());
    return new FaultReceipt(
        kind,
        targets,
        now,
        now,
        verified ? FaultReceipt.Status.VERIFIED : FaultReceipt.Status.FAILED,
        detail + " (at " + sim.now() + " virtual ms)");
  }

  private void requireMember(String node) {
    if (!nodes().contains(node)) {
      throw new IllegalArgumentException("node: \"" + node + "\" (expected: one of " + nodes() + ")");
    }
  }

  @Override
  public FaultReceipt kill(String node) {
    requireMember(node);
    sim.crash(node);
    boolean down = sim.status(node).isEmpty() && !sim.isUp(node);
    return receipt(FaultKind.KILL, List.of(node), down, down ? "crashed" : "still running");
  }

  @Override
  public FaultReceipt restart(String node) {
    requireMember(node);
    sim.restart(node);
    boolean ready = advanceUntil(() -> ready(node), SETTLE_MILLIS);
    return receipt(FaultKind.RESTART, List.of(node), ready, ready ? "ready" : "not ready in time");
  }

  @Override
  public FaultReceipt pause(String node) {
    requireMember(node);
    sim.pause(node);
    boolean paused = sim.status(node).isEmpty();
    return receipt(FaultKind.PAUSE, List.of(node), paused, paused ? "frozen" : "still answering");
  }

  @Override
  public FaultReceipt resume(String node) {
    requireMember(node);
    sim.resume(node);
    boolean up = sim.isUp(node);
    return receipt(FaultKind.RESUME, List.of(node), up, up ? "answering" : "not answering");
  }

  @Override
  public FaultReceipt terminate(String node) {
    requireMember(node);
    sim.stop(node);
    boolean down = !sim.isUp(node);
    return receipt(
        FaultKind.TERMINATE,
        List.of(node),
        down,
        (down ? "stopped cleanly" : "still running") + "; the simulator stops without a drain");
  }

  @Override
  public FaultReceipt wipe(String node) {
    requireMember(node);
    long before = sim.status(node).map(ReplicaStatus::incarnation).orElse(-1L);
    sim.wipe(node);
    boolean ready = advanceUntil(() -> ready(node), SETTLE_MILLIS);
    long after = sim.status(node).map(ReplicaStatus::incarnation).orElse(-1L);
    return receipt(
        FaultKind.WIPE,
        List.of(node),
        ready,
        "disk destroyed, " + (ready ? "ready" : "not ready in time") + "; incarnation " + before + " -> " + after);
  }

  /**
   * Cuts the simulated network as the grudge says, verified as on real nodes: the network drops
   * those links, and each running receiver comes to see its cut senders as not live (within {@link
   * #VIEW_MILLIS}).
   */
  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    dev.meld.node.sim.Grudge cut = dev.meld.node.sim.Grudge.of(grudge.drops());
    sim.partition(cut);
    if (!sim.grudge().equals(cut)) {
      return receipt(FaultKind.PARTITION, nodesOf(grudge), false, "network drops " + sim.grudge());
    }
    boolean seen = advanceUntil(() -> stillLive(grudge).isEmpty(), VIEW_MILLIS);
    return receipt(
        FaultKind.PARTITION,
        nodesOf(grudge),
        seen,
        "network drops "
            + sim.grudge()
            + (seen
                ? "; every receiver sees its cut senders not live"
                : "; still seen live after " + VIEW_MILLIS + " ms: " + stillLive(grudge)));
  }

  /** "receiver sees sender" for each cut link whose running receiver still counts the sender live. */
  private List<String> stillLive(Grudge<String> grudge) {
    List<String> live = new ArrayList<>();
    grudge
        .drops()
        .forEach(
            (receiver, senders) ->
                sim.status(receiver)
                    .ifPresent(
                        status -> {
                          for (String sender : senders) {
                            if (status.peer(sender).map(ReplicaStatus.PeerStatus::live).orElse(false)) {
                              live.add(receiver + " sees " + sender);
                            }
                          }
                        }));
    return live;
  }

  private static List<String> nodesOf(Grudge<String> grudge) {
    java.util.Set<String> nodes = new java.util.TreeSet<>(grudge.drops().keySet());
    grudge.drops().values().forEach(nodes::addAll);
    return List.copyOf(nodes);
  }

  @Override
  public FaultReceipt heal() {
    sim.partition(dev.meld.node.sim.Grudge.none());
    sim.setNetwork(config.network());
    boolean healed = sim.grudge().isEmpty();
    return receipt(FaultKind.HEAL, List.of(), healed, "no partition, network " + config.network());
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    requireMember(from);
    requireMember(to);
    long lat = latency.toMillis();
    long jit = Math.min(jitter.toMillis(), lat);
    NetworkProfile base = config.network();
    sim.setNetwork(new NetworkProfile(lat - jit, lat + jit, base.dropRate(), base.duplicateRate()));
    return receipt(
        FaultKind.SLOW,
        List.of(from, to),
        true,
        "every link delayed " + (lat - jit) + ".." + (lat + jit) + " ms (the simulated network has one profile)");
  }

  /**
   * On real nodes a lossy link cuts a connection with {@code probability}, losing what was in
   * flight until the node reconnects; the simulated network has one profile for every link, so it
   * drops each message on every link with half that probability (with the real link's 0.5, a
   * quarter of all messages, the simulator's own "lossy network"). Dropping half of everything
   * everywhere is far harsher than one lossy node, and restarted nodes then take longer to catch
   * up than a restart may wait.
   */
  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    requireMember(from);
    requireMember(to);
    NetworkProfile base = config.network();
    double drop = probability / 2;
    sim.setNetwork(new NetworkProfile(base.minDelayMillis(), base.maxDelayMillis(), drop, base.duplicateRate()));
    return receipt(
        FaultKind.LOSSY,
        List.of(from, to),
        true,
        "every link drops messages with probability " + drop + " (the simulated network has one profile)");
  }

  @Override
  public FaultReceipt clockOffset(String node, Duration offset) {
    requireMember(node);
    sim.skewClock(node, offset.toMillis());
    return receipt(FaultKind.CLOCK_OFFSET, List.of(node), true, "clock offset " + offset.toMillis() + " ms");
  }

  @Override
  public FaultReceipt join(String node) {
    String joined = sim.join();
    boolean ready = advanceUntil(() -> ready(joined), SETTLE_MILLIS);
    boolean named = joined.equals(node);
    return receipt(
        FaultKind.JOIN,
        List.of(joined),
        ready && named,
        "joined as " + joined + (named ? "" : " (expected: " + node + ")") + (ready ? ", ready" : ", not ready in time"));
  }

  @Override
  public FaultReceipt leave(String node) {
    requireMember(node);
    sim.leave(node, 2_000);
    boolean gone = advanceUntil(() -> !nodes().contains(node), SETTLE_MILLIS);
    return receipt(FaultKind.LEAVE, List.of(node), gone, gone ? "drained and left" : "still a member");
  }

  @Override
  public Path logDir() {
    return logDir;
  }

  @Override
  public void close() {
    // Nothing runs outside the caller's thread; the simulation is dropped with this object.
  }
}
