package dev.meld.node.server;

import dev.meld.node.Outbox;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.peer.PeerMessage;
import dev.meld.node.tls.MeshExposure;
import dev.meld.node.tls.MeshTls;
import dev.meld.node.transport.MeshConfig;
import dev.meld.node.transport.MeshCounters;
import dev.meld.node.transport.MeshListener;
import dev.meld.node.transport.MeshTransport;
import dev.meld.node.transport.PeerLinkStats;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of the {@link MeshTransport}: hands arriving messages to the replica thread, and
 * keeps the transport dialing exactly the replica's members (minus this node), at their member
 * addresses or the configured dial overrides.
 */
final class Mesh implements Outbox, AutoCloseable, MeshListener {

  private static final Logger log = LoggerFactory.getLogger(Mesh.class);

  private final String self;
  private final MeshTransport transport;
  private final Set<String> badAddresses = new HashSet<>();
  private volatile ReplicaLoop loop;
  private Map<String, InetSocketAddress> dialing = Map.of();
  private ReplicaStatus.MembershipState standing;

  private Mesh(String self, MeshConfig config) {
    this.self = self;
    this.transport = MeshTransport.start(config, this);
  }

  /**
   * Checks the start-up rule (a mesh reachable beyond loopback needs TLS or a cluster secret, or
   * {@code --insecure-mesh}, which is warned about) and loads the mesh's TLS files; before anything
   * is opened, so a node refused here changes nothing.
   *
   * @return the mesh's TLS, or null without
   * @throws IllegalStateException if the rule refuses the configuration
   * @throws dev.meld.node.tls.TlsFileException if a TLS file cannot be used
   */
  static MeshTls credentials(NodeConfig config) {
    InetSocketAddress bind = Addresses.resolved(config.meshBind());
    boolean exposed =
        MeshExposure.check(
            bind, config.tls().meshTls(), config.clusterSecret() != null, config.insecureMesh());
    if (exposed) {
      log.warn(
          "mesh: {} is reachable beyond loopback with no credentials (--insecure-mesh): anyone who"
              + " reaches it and knows the cluster name can join and write",
          Addresses.format(bind));
    }
    return config.tls().meshTls() ? MeshTls.load(config.tls().mesh()) : null;
  }

  /**
   * Binds the mesh port for {@code config}'s node acting under {@code incarnation}, with {@code tls}
   * (from {@link #credentials}) or none.
   */
  static Mesh start(NodeConfig config, long incarnation, MeshTls tls) {
    InetSocketAddress bind = Addresses.resolved(config.meshBind());
    MeshConfig mesh =
        MeshConfig.builder(config.replica().clusterName(), config.nodeName(), incarnation)
            .bindAddress(bind)
            .tls(tls)
            .sharedSecret(config.clusterSecret())
            .dialOverrides(resolvedAll(config.dialOverrides()))
            .build();
    return new Mesh(config.nodeName(), mesh);
  }

  /** From now on, arriving messages go to {@code target}; earlier ones were dropped (safely). */
  void deliverTo(ReplicaLoop target) {
    loop = target;
  }

  @Override
  public void onMessage(String fromNode, PeerMessage message) {
    ReplicaLoop target = loop;
    if (target != null) {
      target.receive(fromNode, message);
    }
  }

  @Override
  public void onPeerConnected(String node, long incarnation) {
    log.info("mesh: connected to {} (incarnation {})", node, Long.toUnsignedString(incarnation));
  }

  @Override
  public void onPeerDisconnected(String node) {
    log.info("mesh: link to {} closed", node);
  }

  /**
   * Dials the members of {@code status} other than this node; called on the replica thread after
   * each status refresh, and changes the transport only when the member set changed.
   */
  void follow(ReplicaStatus status) {
    if (status.membership() != standing) {
      log.info(
          "membership: {} is {}{}",
          self,
          status.membership().name().toLowerCase(java.util.Locale.ROOT),
          standing == null ? "" : " (was " + standing.name().toLowerCase(java.util.Locale.ROOT) + ")");
      standing = status.membership();
    }
    Map<String, InetSocketAddress> wanted = new LinkedHashMap<>();
    for (ReplicaStatus.MemberStatus m : status.members()) {
      if (m.name().equals(self)) {
        continue;
      }
      try {
        wanted.put(m.name(), Addresses.resolved(Addresses.parse(m.address())));
      } catch (IllegalArgumentException e) {
        if (badAddresses.add(m.name() + "@" + m.address())) {
          log.warn("mesh: member {} has no dialable address: {}", m.name(), e.getMessage());
        }
      }
    }
    if (!wanted.equals(dialing)) {
      log.info("mesh: dialing {}", wanted.keySet());
      transport.setPeers(wanted);
      dialing = wanted;
    }
  }

  @Override
  public void send(String toNode, PeerMessage message) {
    transport.send(toNode, message);
  }

  InetSocketAddress boundAddress() {
    return transport.boundAddress();
  }

  Map<String, PeerLinkStats> stats() {
    return transport.stats();
  }

  MeshCounters counters() {
    return transport.counters();
  }

  @Override
  public void close() {
    transport.close();
  }

  private static Map<String, InetSocketAddress> resolvedAll(Map<String, InetSocketAddress> in) {
    Map<String, InetSocketAddress> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, Addresses.resolved(v)));
    return out;
  }
}
