package dev.meld.chaos.docker;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.runner.ClusterFactory;
import dev.meld.chaos.runner.LocalClusters;
import dev.meld.testcontainers.MeldDocker;
import dev.meld.testcontainers.MeldImage;
import java.time.Duration;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.testcontainers.utility.DockerImageName;

/**
 * Container clusters ({@link DockerCluster}), one per scenario, all from the debug image of one node
 * jar (built once, when missing, by {@link MeldImage#debug}). Nodes run with the local backend's JVM
 * options, so the two backends differ only in where the nodes run.
 *
 * @param nodeJar the node's runnable jar, baked into the image
 * @param misbehaviors {@code --unsafe-misbehave} flags for every node
 */
public record DockerClusters(Path nodeJar, List<String> misbehaviors) implements ClusterFactory {

  public DockerClusters {
    Objects.requireNonNull(nodeJar, "nodeJar");
    misbehaviors = List.copyOf(misbehaviors);
  }

  /**
   * Empty when containers can run here: Testcontainers' environment is set and an engine with Meld's
   * base images answers (waiting up to {@code maxWait} for a background setup); else why not.
   */
  public static Optional<String> unavailable(Duration maxWait) {
    String missing = DockerEnvironment.missing(System.getenv());
    if (!missing.isEmpty()) {
      return Optional.of(
          "Testcontainers environment: export " + missing + " (scripts/chaos-docker does)");
    }
    return MeldDocker.unavailable(maxWait);
  }

  @Override
  public Cluster create(int nodes, int spares, Path dir) throws IOException {
    DockerImageName image = MeldImage.debug(nodeJar); // DockerCluster.create checks the engine
    return DockerCluster.create(
        DockerClusterConfig.builder(dir, image)
            .nodes(nodes)
            .spares(spares)
            .jvmOptions(LocalClusters.JVM_OPTIONS)
            .misbehaviors(misbehaviors)
            .build());
  }
}
