package dev.meld.chaos.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link LocalCluster} runs its nodes. Build one with {@link #builder(Path)}; every setting
 * but the output directory has a default.
 *
 * @param outDir where node data, logs and clock files go ({@code nodes/<name>/...})
 * @param nodeJar the node's runnable jar
 * @param nodes how many nodes start ({@code n1 .. nN})
 * @param spares names reserved for nodes that may {@linkplain Cluster#join join} later (their mesh
 *     links exist from the start, so every node dials them through the proxy)
 * @param java the {@code java} executable that runs the nodes
 * @param jvmOptions options for each node's JVM (heap, GC)
 * @param nodeArgs extra options for each node (intervals, timeouts)
 * @param misbehaviors deliberate bugs for the "does the bench bite" tests ({@code
 *     --unsafe-misbehave}); empty for a correct node
 * @param clusterName the {@code --cluster} name
 * @param toxiproxy a Toxiproxy server to run the mesh on, instead of the in-process fault proxy
 * @param proxySeed seeds the in-process fault proxy's random choices
 * @param faketime libfaketime's library, if clock faults are wanted and it is installed
 * @param readyTimeout how long a start or restart waits for {@code /ready}
 * @param opTimeout a client operation's default timeout
 * @param adminTimeout how long an admin request ({@code /health}, {@code /ready}) may take
 * @param stopTimeout how long a SIGTERM waits for the node to drain and exit
 * @param viewTimeout how long a partition or heal waits for the nodes to see it
 * @param clockTolerance how far a node's clock may be from the offset asked for
 */
public record LocalClusterConfig(
    Path outDir,
    Path nodeJar,
    int nodes,
    int spares,
    Path java,
    List<String> jvmOptions,
    List<String> nodeArgs,
    List<String> misbehaviors,
    String clusterName,
    Optional<URI> toxiproxy,
    long proxySeed,
    Optional<Path> faketime,
    Duration readyTimeout,
    Duration opTimeout,
    Duration adminTimeout,
    Duration stopTimeout,
    Duration viewTimeout,
    Duration clockTolerance,
    boolean tls)
    implements ClusterSettings {

  /** The node jar a reactor build leaves in the checkout. */
  public static final Path DEFAULT_NODE_JAR = Path.of("node", "target", "meld-node.jar");

  /** The most nodes (and spares) a local cluster runs. */
  public static final int MAX_NODES = 16;

  public LocalClusterConfig {
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(nodeJar, "nodeJar");
    if (nodes < 1 || spares < 0 || nodes + spares > MAX_NODES) {
      throw new IllegalArgumentException(
          "nodes: "
              + nodes
              + ", spares: "
              + spares
              + " (expected: nodes >= 1, spares >= 0, nodes + spares <= "
              + MAX_NODES
              + ")");
    }
    jvmOptions = List.copyOf(jvmOptions);
    nodeArgs = List.copyOf(nodeArgs);
    misbehaviors = List.copyOf(misbehaviors);
    for (Duration d :
        List.of(readyTimeout, opTimeout, adminTimeout, stopTimeout, viewTimeout, clockTolerance)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeout: " + d + " (expected: positive)");
      }
    }
  }

  /** The names of the first nodes: {@code n1 .. nN}. */
  public List<String> initialNames() {
    return names(1, nodes);
  }

  /** The names reserved for nodes that join later. */
  public List<String> spareNames() {
    return names(nodes + 1, spares);
  }

  /** The first nodes' names, then the spares'. */
  public List<String> allNames() {
    return names(1, nodes + spares);
  }

  private static List<String> names(int first, int count) {
    List<String> names = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      names.add("n" + i);
    }
    return names;
  }

  /**
   * A builder with the defaults: 3 nodes, 1 spare, the checkout's node jar, the in-process proxy.
   */
  public static Builder builder(Path outDir) {
    return new Builder(outDir);
  }

  /** Builds a {@link LocalClusterConfig}. */
  public static final class Builder {
    private final Path outDir;
    private Path nodeJar = DEFAULT_NODE_JAR;
    private int nodes = 3;
    private int spares = 1;
    private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private List<String> jvmOptions = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
    private List<String> nodeArgs = List.of();
    private List<String> misbehaviors = List.of();
    private String clusterName = "meld-chaos";
    private Optional<URI> toxiproxy = Optional.empty();
    private long proxySeed = 1;
    private Optional<Path> faketime = Faketime.locate();
    private Duration readyTimeout = Duration.ofSeconds(60);
    private Duration opTimeout = Duration.ofSeconds(2);
    private Duration adminTimeout = Duration.ofSeconds(5);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private Duration viewTimeout = Duration.ofSeconds(20);
    private Duration clockTolerance = Duration.ofMillis(400);
    private boolean tls;

    private Builder(Path outDir) {
      this.outDir = outDir;
    }

    public Builder nodeJar(Path nodeJar) {
      this.nodeJar = nodeJar;
      return this;
    }

    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    public Builder spares(int spares) {
      this.spares = spares;
      return this;
    }

    public Builder java(Path java) {
      this.java = java;
      return this;
    }

    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = jvmOptions;
      return this;
    }

    public Builder nodeArgs(List<String> nodeArgs) {
      this.nodeArgs = nodeArgs;
      return this;
    }

    public Builder misbehaviors(List<String> misbehaviors) {
      this.misbehaviors = misbehaviors;
      return this;
    }

    public Builder clusterName(String clusterName) {
      this.clusterName = clusterName;
      return this;
    }

    public Builder toxiproxy(URI toxiproxy) {
      this.toxiproxy = Optional.of(toxiproxy);
      return this;
    }

    public Builder proxySeed(long proxySeed) {
      this.proxySeed = proxySeed;
      return this;
    }

    /** The libfaketime library; empty turns clock faults off (they report SKIPPED). */
    public Builder faketime(Optional<Path> faketime) {
      this.faketime = faketime;
      return this;
    }

    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = readyTimeout;
      return this;
    }

    public Builder opTimeout(Duration opTimeout) {
      this.opTimeout = opTimeout;
      return this;
    }

    public Builder adminTimeout(Duration adminTimeout) {
      this.adminTimeout = adminTimeout;
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    public Builder viewTimeout(Duration viewTimeout) {
      this.viewTimeout = viewTimeout;
      return this;
    }

    public Builder clockTolerance(Duration clockTolerance) {
      this.clockTolerance = clockTolerance;
      return this;
    }

    /**
     * Mesh TLS and a TLS client port for every node, with certificates the cluster makes for the
     * run (as {@code meld-node certs} does); the bench's clients present the tool certificate.
     */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    public LocalClusterConfig build() {
      return new LocalClusterConfig(
          outDir,
          nodeJar,
          nodes,
          spares,
          java,
          jvmOptions,
          nodeArgs,
          misbehaviors,
          clusterName,
          toxiproxy,
          proxySeed,
          faketime,
          readyTimeout,
          opTimeout,
          adminTimeout,
          stopTimeout,
          viewTimeout,
          clockTolerance,
          tls);
    }
  }
}
