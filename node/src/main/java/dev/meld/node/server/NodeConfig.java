package dev.meld.node.server;

import dev.meld.node.ReplicaConfig;
import dev.meld.node.tls.NodeTls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link NodeRuntime} runs: the replica's configuration plus everything around it (where the
 * store lives, which ports it binds, how the mesh authenticates, how the replica thread batches).
 * Build one with {@link #builder(ReplicaConfig)}; values are checked when built, with a message
 * naming the value and the expectation.
 *
 * @param replica the replica's configuration; its {@code address} is replaced by the mesh port's
 *     bound address when the node starts
 * @param dataDir the RocksDB store directory (created if missing)
 * @param clientBind where the RESP port listens (port 0: any free port), or null for none
 * @param meshBind where the mesh port listens (port 0: any free port)
 * @param adminBind where the admin HTTP port listens (port 0: any free port), or null for none
 * @param dialOverrides peers to dial at another address than their member address (a proxy)
 * @param clusterSecret the shared secret peers prove in the handshake, or null for none
 * @param password the password RESP clients must give with {@code AUTH}, or null for none
 * @param drainTimeoutMillis how long a stopping node waits for its peers to catch up
 * @param fsync fsync the write-ahead log on every commit (survives power loss, costs latency)
 * @param tickMillis how often the replica thread ticks the replica (pumps, pings, anti-entropy)
 * @param groupCommitMax most queued client commands committed together in one store batch
 * @param commandQueueLimit most client commands waiting for the replica thread
 * @param inboundQueueLimit most peer messages waiting for the replica thread (more are dropped)
 * @param statusRefreshMillis how often the status snapshot that readers see is refreshed
 * @param clientIdleTimeoutMillis RESP clients idle this long are closed (0: never; default 300 s)
 * @param maxClients most RESP clients at once (default 10,000)
 * @param clientRequestBudgetBytes node-wide bytes of unfinished RESP requests (default 256 MiB)
 * @param adminToken the bearer token mutating admin requests need, or null to use {@code password}
 * @param adminInsecure with neither token nor password, let mutating admin requests through (only
 *     with the admin port on loopback)
 * @param acceptDataLoss open a store whose write-ahead log lost acknowledged writes up to its last
 *     intact point (new incarnation, repaired by anti-entropy) instead of refusing to start
 * @param tls mesh TLS and the TLS client port ({@link NodeTls#NONE}: neither)
 * @param insecureMesh let a mesh bound beyond loopback start without TLS or a cluster secret
 */
public record NodeConfig(
    ReplicaConfig replica,
    Path dataDir,
    InetSocketAddress clientBind,
    InetSocketAddress meshBind,
    InetSocketAddress adminBind,
    Map<String, InetSocketAddress> dialOverrides,
    String clusterSecret,
    String password,
    long drainTimeoutMillis,
    boolean fsync,
    long tickMillis,
    int groupCommitMax,
    int commandQueueLimit,
    int inboundQueueLimit,
    long statusRefreshMillis,
    long clientIdleTimeoutMillis,
    int maxClients,
    long clientRequestBudgetBytes,
    String adminToken,
    boolean adminInsecure,
    boolean acceptDataLoss,
    NodeTls tls,
    boolean insecureMesh) {

  public NodeConfig {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(meshBind, "meshBind");
    dialOverrides = Map.copyOf(dialOverrides);
    if (clusterSecret != null && clusterSecret.isEmpty()) {
      throw new IllegalArgumentException("clusterSecret: empty (expected: null for none, or text)");
    }
    if (password != null && password.isEmpty()) {
      throw new IllegalArgumentException("password: empty (expected: null for none, or text)");
    }
    atLeast("drainTimeoutMillis", drainTimeoutMillis, 0);
    atLeast("tickMillis", tickMillis, 1);
    atLeast("groupCommitMax", groupCommitMax, 1);
    atLeast("commandQueueLimit", commandQueueLimit, 1);
    atLeast("inboundQueueLimit", inboundQueueLimit, 1);
    atLeast("statusRefreshMillis", statusRefreshMillis, 1);
    atLeast("clientIdleTimeoutMillis", clientIdleTimeoutMillis, 0);
    atLeast("maxClients", maxClients, 1);
    // At least one request of the largest size (RespConfig's maxRequestBytes) must fit.
    atLeast("clientRequestBudgetBytes", clientRequestBudgetBytes, 64L << 20);
    if (adminToken != null && adminToken.isEmpty()) {
      throw new IllegalArgumentException("adminToken: empty (expected: null for none, or text)");
    }
    if (adminInsecure
        && adminToken == null
        && password == null
        && adminBind != null
        && !dev.meld.node.admin.AdminConfig.isLoopback(adminBind)) {
      throw new IllegalArgumentException(
          "--admin-insecure: the admin port "
              + Addresses.format(adminBind)
              + " is not loopback (expected: an admin token (--admin-token-file or --password),"
              + " or --admin on 127.0.0.1)");
    }
  }

  /** The token mutating admin requests need: the admin token, else the client password, or null. */
  public String effectiveAdminToken() {
    return adminToken != null ? adminToken : password;
  }

  /** A builder with the defaults below, for a node configured by {@code replica}. */
  public static Builder builder(ReplicaConfig replica) {
    return new Builder(replica);
  }

  /** This node's name. */
  public String nodeName() {
    return replica.nodeName();
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
    }
  }

  /** Builds a {@link NodeConfig}. Defaults: loopback ports 6379 (RESP), 7379 (mesh), 9379 (admin). */
  public static final class Builder {
    private final ReplicaConfig replica;
    private Path dataDir;
    private InetSocketAddress clientBind = new InetSocketAddress("127.0.0.1", 6379);
    private InetSocketAddress meshBind = new InetSocketAddress("127.0.0.1", 7379);
    private InetSocketAddress adminBind = new InetSocketAddress("127.0.0.1", 9379);
    private final Map<String, InetSocketAddress> dialOverrides = new LinkedHashMap<>();
    private String clusterSecret;
    private String password;
    private long drainTimeoutMillis = 10_000;
    private boolean fsync;
    private boolean acceptDataLoss;
    private long tickMillis = 5;
    private int groupCommitMax = 512;
    private int commandQueueLimit = 65_536;
    private int inboundQueueLimit = 65_536;
    private long statusRefreshMillis = 100;
    private long clientIdleTimeoutMillis = 300_000;
    private int maxClients = 10_000;
    private long clientRequestBudgetBytes = 256L << 20;
    private String adminToken;
    private boolean adminInsecure;
    private NodeTls tls = NodeTls.NONE;
    private boolean insecureMesh;

    private Builder(ReplicaConfig replica) {
      this.replica = Objects.requireNonNull(replica, "replica");
      this.dataDir = Path.of("meld-data", replica.nodeName());
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    /** Where the RESP port listens; null for no RESP port. */
    public Builder clientBind(InetSocketAddress v) {
      clientBind = v;
      return this;
    }

    public Builder meshBind(InetSocketAddress v) {
      meshBind = v;
      return this;
    }

    /** Where the admin HTTP port listens; null for no admin port. */
    public Builder adminBind(InetSocketAddress v) {
      adminBind = v;
      return this;
    }

    /** Dial {@code node} at {@code address} instead of its member address. */
    public Builder dial(String node, InetSocketAddress address) {
      dialOverrides.put(Objects.requireNonNull(node, "node"), address);
      return this;
    }

    public Builder dialOverrides(Map<String, InetSocketAddress> v) {
      dialOverrides.clear();
      dialOverrides.putAll(v);
      return this;
    }

    public Builder clusterSecret(String v) {
      clusterSecret = v;
      return this;
    }

    public Builder password(String v) {
      password = v;
      return this;
    }

    public Builder drainTimeoutMillis(long v) {
      drainTimeoutMillis = v;
      return this;
    }

    public Builder fsync(boolean v) {
      fsync = v;
      return this;
    }

    public Builder acceptDataLoss(boolean v) {
      acceptDataLoss = v;
      return this;
    }

    public Builder tickMillis(long v) {
      tickMillis = v;
      return this;
    }

    public Builder groupCommitMax(int v) {
      groupCommitMax = v;
      return this;
    }

    public Builder commandQueueLimit(int v) {
      commandQueueLimit = v;
      return this;
    }

    public Builder inboundQueueLimit(int v) {
      inboundQueueLimit = v;
      return this;
    }

    public Builder statusRefreshMillis(long v) {
      statusRefreshMillis = v;
      return this;
    }

    public Builder clientIdleTimeoutMillis(long v) {
      clientIdleTimeoutMillis = v;
      return this;
    }

    public Builder maxClients(int v) {
      maxClients = v;
      return this;
    }

    public Builder clientRequestBudgetBytes(long v) {
      clientRequestBudgetBytes = v;
      return this;
    }

    /** The admin bearer token; null to fall back to the client password. */
    public Builder adminToken(String v) {
      adminToken = v;
      return this;
    }

    public Builder adminInsecure(boolean v) {
      adminInsecure = v;
      return this;
    }

    /** Mesh TLS and the TLS client port. */
    public Builder tls(NodeTls v) {
      tls = v;
      return this;
    }

    /** Let a mesh bound beyond loopback start without credentials (a WARN at start). */
    public Builder insecureMesh(boolean v) {
      insecureMesh = v;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public NodeConfig build() {
      return new NodeConfig(
          replica,
          dataDir,
          clientBind,
          meshBind,
          adminBind,
          dialOverrides,
          clusterSecret,
          password,
          drainTimeoutMillis,
          fsync,
          tickMillis,
          groupCommitMax,
          commandQueueLimit,
          inboundQueueLimit,
          statusRefreshMillis,
          clientIdleTimeoutMillis,
          maxClients,
          clientRequestBudgetBytes,
          adminToken,
          adminInsecure,
          acceptDataLoss,
          tls,
          insecureMesh);
    }
  }
}
