package dev.meld.node.embed;

import dev.meld.node.Member;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.server.Addresses;
import dev.meld.node.server.NodeConfig;
import dev.meld.node.server.NodeRuntime;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Embeds a Meld node in an application: replicated counters, sets and registers that every node
 * may write at once and that converge without coordination.
 *
 * <pre>{@code
 * try (MeldNode node = Meld.builder()
 *     .name("n1")
 *     .dataDir(Path.of("/var/lib/app/meld"))
 *     .mesh("10.0.0.1:7379")
 *     .seeds("n1=10.0.0.1:7379,n2=10.0.0.2:7379,n3=10.0.0.3:7379")
 *     .noClientPort()
 *     .start()) {
 *   node.onChange(key -> System.out.println("changed: " + key));
 *   long visits = node.counter("visits").increment();
 *   node.set("online").add("alice");
 *   node.register("motd").set("hello");
 * }
 * }</pre>
 *
 * By default a node has no RESP port and no admin port (an application talks to it in-process);
 * {@link Builder#clientPort(int)} and {@link Builder#adminPort(int)} open them on loopback.
 */
public final class Meld {

  private Meld() {}

  /** A builder for an embedded node; {@link Builder#name} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and starts an embedded node. */
  public static final class Builder {
    private String name;
    private Path dataDir;
    private String cluster = "meld";
    private InetSocketAddress mesh = new InetSocketAddress("127.0.0.1", 7379);
    private InetSocketAddress client;
    private InetSocketAddress admin;
    private final List<Member> seeds = new ArrayList<>();
    private final Map<String, InetSocketAddress> dial = new LinkedHashMap<>();
    private String clusterSecret;
    private String password;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration pingInterval;
    private Duration antiEntropyInterval;
    private boolean fsync;

    private Builder() {}

    /** This node's name, unique in the cluster. */
    public Builder name(String v) {
      name = v;
      return this;
    }

    /** The store directory (default: {@code ./meld-data/NAME}). */
    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    /** The cluster's name (default {@code meld}); peers of another cluster are refused. */
    public Builder cluster(String v) {
      cluster = v;
      return this;
    }

    /** Where the mesh (peer) port listens, {@code host:port} (default {@code 127.0.0.1:7379}). */
    public Builder mesh(String hostPort) {
      mesh = Addresses.parse(hostPort);
      return this;
    }

    /** The members to start from, {@code name=host:port,...} (their mesh ports). */
    public Builder seeds(String seedList) {
      seeds.clear();
      Addresses.parseNamed(seedList)
          .forEach((n, a) -> seeds.add(new Member(n, Addresses.format(a))));
      return this;
    }

    /** Opens the RESP port on loopback at {@code port} (0: any free port). */
    public Builder clientPort(int port) {
      client = new InetSocketAddress("127.0.0.1", port);
      return this;
    }

    /** No RESP port (the default). */
    public Builder noClientPort() {
      client = null;
      return this;
    }

    /** Opens the admin HTTP port on loopback at {@code port} (0: any free port). */
    public Builder adminPort(int port) {
      admin = new InetSocketAddress("127.0.0.1", port);
      return this;
    }

    /** No admin port (the default). */
    public Builder noAdminPort() {
      admin = null;
      return this;
    }

    /** Dial {@code node} at {@code hostPort} instead of its member address. */
    public Builder dial(String node, String hostPort) {
      dial.put(Objects.requireNonNull(node, "node"), Addresses.parse(hostPort));
      return this;
    }

    /** The shared secret peers must prove (at least 16 bytes). */
    public Builder clusterSecret(String v) {
      clusterSecret = v;
      return this;
    }

    /** The password RESP clients must give (only with a client port). */
    public Builder password(String v) {
      password = v;
      return this;
    }

    /** How long {@link MeldNode#close()} waits for peers to catch up (default 10 s). */
    public Builder drainTimeout(Duration v) {
      drainTimeout = Objects.requireNonNull(v, "drainTimeout");
      return this;
    }

    /** How often peers are pinged (default 500 ms). */
    public Builder pingInterval(Duration v) {
      pingInterval = Objects.requireNonNull(v, "pingInterval");
      return this;
    }

    /** Mean spacing of anti-entropy rounds (default 2 s). */
    public Builder antiEntropyInterval(Duration v) {
      antiEntropyInterval = Objects.requireNonNull(v, "antiEntropyInterval");
      return this;
    }

    /** fsync every commit (survives power loss; default off: survives a process crash). */
    public Builder fsync(boolean v) {
      fsync = v;
      return this;
    }

    /**
     * Starts the node: opens its store, binds its ports and joins the cluster.
     *
     * @throws IllegalArgumentException for a missing name or a value out of range
     * @throws java.io.UncheckedIOException if a port cannot be bound
     */
    public MeldNode start() {
      if (name == null) {
        throw new IllegalArgumentException("name: null (expected: this node's name)");
      }
      ReplicaConfig.Builder replica = ReplicaConfig.builder(name).clusterName(cluster).seeds(seeds);
      if (pingInterval != null) {
        replica
            .pingIntervalMillis(pingInterval.toMillis())
            .peerDeadTimeoutMillis(Math.max(2_000, 4 * pingInterval.toMillis()));
      }
      if (antiEntropyInterval != null) {
        replica
            .antiEntropyIntervalMillis(antiEntropyInterval.toMillis())
            .antiEntropyJitterMillis(antiEntropyInterval.toMillis() / 2);
      }
      NodeConfig.Builder config =
          NodeConfig.builder(replica.build())
              .meshBind(mesh)
              .clientBind(client)
              .adminBind(admin)
              .dialOverrides(dial)
              .clusterSecret(clusterSecret)
              .password(password)
              .drainTimeoutMillis(drainTimeout.toMillis())
              .fsync(fsync);
      if (dataDir != null) {
        config.dataDir(dataDir);
      }
      return new MeldNode(NodeRuntime.start(config.build()));
    }
  }
}
