package dev.meld.chaos.cluster;

import dev.meld.chaos.cluster.LocalMesh.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks, through each node's {@code /health}, that the nodes see a mesh fault the way it was
 * meant: a receiver cut off from a sender reports it unreachable, healed nodes report each other
 * live, a member that joined or left is listed or not. Each check polls until it holds, bounded.
 */
public final class PeerViews {

  /** Where node health comes from. */
  @FunctionalInterface
  public interface HealthSource {
    NodeHealth health(String node) throws NodeUnreachable;
  }

  private final HealthSource source;
  private final Duration timeout;

  public PeerViews(HealthSource source, Duration timeout) {
    this.source = source;
    this.timeout = timeout;
  }

  /**
   * Every running receiver of a cut link reports the link's sender unreachable; a link is a pair
   * {@code sender, receiver} (for backends without {@link LocalMesh}).
   */
  public String awaitCut(
      java.util.Collection<java.util.Map.Entry<String, String>> senderToReceiver,
      Predicate<String> running)
      throws Exception {
    Set<Link> cut = new java.util.LinkedHashSet<>();
    senderToReceiver.forEach(e -> cut.add(new Link(e.getKey(), e.getValue())));
    return awaitCut(cut, running);
  }

  /** Every running receiver of a cut link reports the link's sender unreachable. */
  String awaitCut(Set<Link> cut, Predicate<String> running) throws Exception {
    List<Link> watched = cut.stream().filter(l -> running.test(l.to())).toList();
    return await(
        "receivers see their cut senders unreachable: " + watched,
        () -> {
          List<String> wrong = new ArrayList<>();
          for (Link link : watched) {
            Optional<NodeHealth.Member> sender = source.health(link.to()).member(link.from());
            if (sender.isPresent() && sender.get().live()) {
              wrong.add(link.to() + " sees " + link.from() + " " + sender.get().state());
            }
          }
          return wrong;
        });
  }

  /** Every node reports every other one live. */
  public String awaitConnected(List<String> nodes) throws Exception {
    return await(
        "all of " + nodes + " see each other live",
        () -> {
          List<String> wrong = new ArrayList<>();
          for (String observer : nodes) {
            NodeHealth health = source.health(observer);
            for (String other : nodes) {
              Optional<NodeHealth.Member> m = health.member(other);
              if (!other.equals(observer) && (m.isEmpty() || !m.get().live())) {
                wrong.add(
                    observer
                        + " sees "
                        + other
                        + " "
                        + m.map(NodeHealth.Member::state).orElse("not a member"));
              }
            }
          }
          return wrong;
        });
  }

  /** Every observer but {@code node} itself lists {@code node} as a member, or does not. */
  public String awaitMember(String node, boolean listed, List<String> observers) throws Exception {
    List<String> others = observers.stream().filter(o -> !o.equals(node)).toList();
    return await(
        others + (listed ? " list " : " no longer list ") + node + " as a member",
        () -> {
          List<String> wrong = new ArrayList<>();
          for (String observer : others) {
            if (source.health(observer).member(node).isPresent() != listed) {
              wrong.add(observer + (listed ? " does not list " : " still lists ") + node);
            }
          }
          return wrong;
        });
  }

  /** What is still wrong (empty: the view holds); an unreachable node is wrong too. */
  @FunctionalInterface
  private interface Mismatches {
    List<String> find() throws NodeUnreachable;
  }

  private String await(String expectation, Mismatches mismatches) throws Exception {
    long start = System.nanoTime();
    List<String> last = new ArrayList<>(List.of("not checked"));
    boolean held =
        Await.until(
            timeout,
            () -> {
              last.clear();
              try {
                last.addAll(mismatches.find());
              } catch (NodeUnreachable e) {
                last.add(e.getMessage());
              }
              return last.isEmpty();
            });
    if (!held) {
      throw new NotVerified(expectation + ": not within " + timeout + "; last seen: " + last);
    }
    return expectation + " (after " + (System.nanoTime() - start) / 1_000_000 + " ms)";
  }
}
