package dev.meld.chaos.docker;

import dev.meld.chaos.cluster.ClusterSettings;
import dev.meld.chaos.runner.ClusterFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.testcontainers.utility.DockerImageName;

/**
 * Settings of a {@link DockerCluster}.
 *
 * @param outDir where node logs, data and the fault log go ({@code outDir/nodes/nK/})
 * @param image a debug node image (root, iptables, iproute2, libfaketime)
 * @param nodes nodes started by {@code start()}: {@code n1 .. nN}
 * @param spares names reserved for {@code join}: {@code n(N+1) ..}
 * @param clusterName the nodes' {@code --cluster}
 * @param runPrefix prefix of every container and network name, unique per run
 * @param jvmOptions the node JVM's options
 * @param misbehaviors {@code --unsafe-misbehave} flags (the bench-bites tests)
 * @param nodeArgs more node arguments
 * @param faketimeLibrary libfaketime inside the image
 * @param readyTimeout how long a node may take to answer {@code /ready}
 * @param opTimeout a client operation's timeout
 * @param adminTimeout an admin request's timeout
 * @param stopTimeout how long a SIGTERMed node may take to exit
 * @param viewTimeout how long nodes may take to see a mesh fault
 * @param clockTolerance how far a node's clock may be from the offset asked
 */
public record DockerClusterConfig(
    Path outDir,
    DockerImageName image,
    int nodes,
    int spares,
    String clusterName,
    String runPrefix,
    List<String> jvmOptions,
    List<String> misbehaviors,
    List<String> nodeArgs,
    String faketimeLibrary,
    Duration readyTimeout,
    Duration opTimeout,
    Duration adminTimeout,
    Duration stopTimeout,
    Duration viewTimeout,
    Duration clockTolerance)
    implements ClusterSettings {

  public DockerClusterConfig {
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(image, "image");
    if (nodes < 1 || nodes + spares > 200 || spares < 0) {
      throw new IllegalArgumentException(
          "nodes: " + nodes + ", spares: " + spares + " (expected: nodes >= 1, spares >= 0, 200 at most)");
    }
    if (!runPrefix.matches("[a-z0-9][a-z0-9_.-]{0,40}")) {
      throw new IllegalArgumentException(
          "run prefix: \"" + runPrefix + "\" (expected: [a-z0-9][a-z0-9_.-]*, 41 characters at most)");
    }
    jvmOptions = List.copyOf(jvmOptions);
    misbehaviors = List.copyOf(misbehaviors);
    nodeArgs = List.copyOf(nodeArgs);
  }

  @Override
  public List<String> initialNames() {
    return ClusterFactory.spareNames(0, nodes);
  }

  @Override
  public List<String> spareNames() {
    return ClusterFactory.spareNames(nodes, spares);
  }

  @Override
  public List<String> allNames() {
    List<String> all = new ArrayList<>(initialNames());
    all.addAll(spareNames());
    return all;
  }

  public static Builder builder(Path outDir, DockerImageName image) {
    return new Builder(outDir, image);
  }

  /** Defaults as the local backend's, with a longer ready timeout (a container starts a JVM cold). */
  public static final class Builder {
    private final Path outDir;
    private final DockerImageName image;
    private int nodes = 3;
    private int spares = 1;
    private String clusterName = "meld-chaos";
    private String runPrefix = RunPrefix.fresh();
    private List<String> jvmOptions = List.of();
    private List<String> misbehaviors = List.of();
    private List<String> nodeArgs = List.of();
    private String faketimeLibrary = dev.meld.testcontainers.MeldImage.FAKETIME_LIBRARY;
    private Duration readyTimeout = Duration.ofSeconds(90);
    private Duration opTimeout = Duration.ofSeconds(2);
    private Duration adminTimeout = Duration.ofSeconds(5);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private Duration viewTimeout = Duration.ofSeconds(20);
    private Duration clockTolerance = Duration.ofMillis(400);

    private Builder(Path outDir, DockerImageName image) {
      this.outDir = outDir;
      this.image = image;
    }

    public Builder nodes(int v) {
      nodes = v;
      return this;
    }

    public Builder spares(int v) {
      spares = v;
      return this;
    }

    public Builder clusterName(String v) {
      clusterName = v;
      return this;
    }

    public Builder runPrefix(String v) {
      runPrefix = v;
      return this;
    }

    public Builder jvmOptions(List<String> v) {
      jvmOptions = v;
      return this;
    }

    public Builder misbehaviors(List<String> v) {
      misbehaviors = v;
      return this;
    }

    public Builder nodeArgs(List<String> v) {
      nodeArgs = v;
      return this;
    }

    public Builder faketimeLibrary(String v) {
      faketimeLibrary = v;
      return this;
    }

    public Builder readyTimeout(Duration v) {
      readyTimeout = v;
      return this;
    }

    public Builder stopTimeout(Duration v) {
      stopTimeout = v;
      return this;
    }

    public Builder viewTimeout(Duration v) {
      viewTimeout = v;
      return this;
    }

    public DockerClusterConfig build() {
      return new DockerClusterConfig(
          outDir,
          image,
          nodes,
          spares,
          clusterName,
          runPrefix,
          jvmOptions,
          misbehaviors,
          nodeArgs,
          faketimeLibrary,
          readyTimeout,
          opTimeout,
          adminTimeout,
          stopTimeout,
          viewTimeout,
          clockTolerance);
    }
  }
}
