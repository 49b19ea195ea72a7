package dev.meld.chaos.docker;

import dev.meld.chaos.cluster.FaultKind;
import dev.meld.chaos.cluster.FaultReceipt;
import dev.meld.chaos.cluster.FaultRunner;
import dev.meld.chaos.cluster.LinkFaults;
import dev.meld.chaos.cluster.NodeState;
import dev.meld.chaos.cluster.NotVerified;
import dev.meld.chaos.cluster.PeerViews;
import dev.meld.chaos.docker.DockerOps.ExecResult;
import dev.meld.chaos.nemesis.Grudge;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@link DockerCluster}'s mesh faults: partitions from grudges, heal, slow and lossy links, each a
 * change of some nodes' {@link NetFaults} applied by running their script in the container. Checked
 * twice: the rules each container prints back, and (for cuts and heals) the nodes' own views of
 * their peers.
 */
final class DockerMeshFaults implements LinkFaults {

  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(15);

  private final DockerOps ops;
  private final PeerViews views;
  private final FaultRunner faults;
  private final Map<String, DockerNode> nodes;
  private final List<String> allNames;
  private final Predicate<String> running;
  private final Supplier<List<String>> runningMembers;

  DockerMeshFaults(
      DockerOps ops,
      PeerViews views,
      FaultRunner faults,
      Map<String, DockerNode> nodes,
      List<String> allNames,
      Predicate<String> running,
      Supplier<List<String>> runningMembers) {
    this.ops = ops;
    this.views = views;
    this.faults = faults;
    this.nodes = nodes;
    this.allNames = List.copyOf(allNames);
    this.running = running;
    this.runningMembers = runningMembers;
  }

  @Override
  public FaultReceipt partition(Grudge<String> grudge) {
    Map<String, Set<String>> cut = new LinkedHashMap<>();
    Set<Map.Entry<String, String>> links = new LinkedHashSet<>();
    grudge
        .drops()
        .forEach(
            (receiver, senders) -> {
              node(receiver);
              for (String sender : senders) {
                node(sender);
                if (!sender.equals(receiver)) {
                  cut.computeIfAbsent(receiver, r -> new LinkedHashSet<>()).add(sender);
                  links.add(new AbstractMap.SimpleImmutableEntry<>(sender, receiver));
                }
              }
            });
    List<String> targets =
        allNames.stream()
            .filter(
                name ->
                    links.stream()
                        .anyMatch(l -> l.getKey().equals(name) || l.getValue().equals(name)))
            .toList();
    return faults.apply(
        FaultKind.PARTITION,
        targets,
        () -> {
          for (DockerNode n : nodes.values()) {
            Set<String> ips = new HashSet<>();
            cut.getOrDefault(n.name(), Set.of()).forEach(s -> ips.add(node(s).meshIp()));
            n.faults(n.faults().withCutFrom(ips));
          }
          return "iptables DROP "
              + applyAndReadBackCuts()
              + "; "
              + views.awaitCut(links, running);
        });
  }

  @Override
  public FaultReceipt heal(List<String> members) {
    return faults.apply(
        FaultKind.HEAL,
        members,
        () -> {
          for (DockerNode n : nodes.values()) {
            n.faults(NetFaults.none(n.meshIp()));
          }
          return "rules removed " + applyAndReadBackCuts() + "; " + views.awaitConnected(runningMembers.get());
        });
  }

  @Override
  public FaultReceipt slow(String from, String to, Duration latency, Duration jitter) {
    DockerNode f = node(from);
    DockerNode t = node(to);
    requireTwo(from, to);
    if (latency.isNegative() || jitter.isNegative() || latency.isZero()) {
      throw new IllegalArgumentException(
          "latency: " + latency + ", jitter: " + jitter + " (expected: latency > 0, jitter >= 0)");
    }
    NetFaults.Slow slow = new NetFaults.Slow(latency.toMillis(), jitter.toMillis());
    return faults.apply(
        FaultKind.SLOW,
        List.of(from, to),
        () -> {
          f.faults(f.faults().withSlowTo(t.meshIp(), slow));
          Optional<String> listing = apply(f);
          if (listing.isEmpty()) {
            return "recorded for " + from + " (" + f.state() + "), applied when it runs";
          }
          NotVerified.check(
              NetFaults.slowedIn(listing.get()).contains(t.meshIp()),
              "no tc filter for " + to + " on " + from + ": " + listing.get());
          if (listing.get().contains("qdisc netem")) {
            return "tc netem delay " + slow.latencyMillis() + " ms ± " + slow.jitterMillis() + " ms to " + to;
          }
          NotVerified.check(
              listing.get().contains("qdisc tbf"), "no netem or tbf qdisc on " + from + ": " + listing.get());
          return "tc tbf "
              + slow.bitsPerSecond()
              + " bit/s to "
              + to
              + " (no netem in this kernel: the link is narrow, not delayed by a fixed time)";
        });
  }

  @Override
  public FaultReceipt lossy(String from, String to, double probability) {
    DockerNode f = node(from);
    DockerNode t = node(to);
    requireTwo(from, to);
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability: " + probability + " (expected: in (0, 1])");
    }
    return faults.apply(
        FaultKind.LOSSY,
        List.of(from, to),
        () -> {
          t.faults(t.faults().withLossyFrom(f.meshIp(), probability));
          apply(t);
          if (t.state() != NodeState.RUNNING) {
            return "recorded for " + to + " (" + t.state() + "), applied when it runs";
          }
          ExecResult rules =
              ops.exec(t.containerId(), EXEC_TIMEOUT, "iptables", "-w", "-S", NetFaults.LOSS_CHAIN);
          NotVerified.check(
              rules.ok() && rules.stdout().contains(f.meshIp()) && rules.stdout().contains("statistic"),
              "no loss rule for " + from + " on " + to + ": " + rules + " " + rules.stdout());
          return "iptables on "
              + to
              + " drops packets from "
              + from
              + " with probability "
              + probability
              + " (packet loss: TCP retransmits, unlike the local proxy's cut connections)";
        });
  }

  /**
   * Runs the node's fault script in its container if it runs (else it runs at the next start), and
   * returns what it printed: the partition rules as installed.
   */
  Optional<String> apply(DockerNode n) throws Exception {
    if (n.state() != NodeState.RUNNING) {
      return Optional.empty();
    }
    ExecResult r = ops.exec(n.containerId(), EXEC_TIMEOUT, "sh", NodeCommand.FAULTS);
    NotVerified.check(r.ok(), "mesh faults on " + n.name() + ": " + r);
    return Optional.of(r.stdout());
  }

  /**
   * Applies every node's faults, and checks from the rules each running node printed back that it
   * drops exactly the senders asked.
   */
  private String applyAndReadBackCuts() throws Exception {
    List<String> seen = new ArrayList<>();
    for (DockerNode n : nodes.values()) {
      Optional<String> listing = apply(n);
      if (listing.isEmpty()) {
        continue;
      }
      Set<String> dropped = new HashSet<>(NetFaults.cutSendersIn(listing.get()));
      NotVerified.check(
          dropped.equals(n.faults().cutFrom()),
          n.name() + " drops " + namesOf(dropped) + " (expected: " + namesOf(n.faults().cutFrom()) + ")");
      if (!dropped.isEmpty()) {
        seen.add(n.name() + " drops " + namesOf(dropped));
      }
    }
    return seen.isEmpty() ? "(no node drops anything)" : String.join(", ", seen);
  }

  private List<String> namesOf(Set<String> meshIps) {
    return nodes.values().stream().filter(x -> meshIps.contains(x.meshIp())).map(DockerNode::name).toList();
  }

  private void requireTwo(String from, String to) {
    if (from.equals(to)) {
      throw new IllegalArgumentException("link: " + from + "->" + to + " (expected: two nodes)");
    }
  }

  private DockerNode node(String name) {
    DockerNode n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("node: " + name + " (expected one of " + nodes.keySet() + ")");
    }
    return n;
  }
}
