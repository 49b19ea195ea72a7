package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import dev.meld.chaos.cluster.LocalCluster;
import dev.meld.chaos.cluster.LocalClusterConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Local clusters of node processes ({@link LocalCluster}), one per scenario, with the node jar, the
 * mesh's proxy server and any deliberate node bugs the command line chose.
 *
 * @param nodeJar the node's runnable jar
 * @param toxiproxy a Toxiproxy server for the mesh instead of the in-process fault proxy
 * @param misbehaviors {@code --unsafe-misbehave} flags for every node (the bench-bites tests)
 * @param proxySeed seeds the fault proxy's random choices
 */
public record LocalClusters(
    Path nodeJar, Optional<URI> toxiproxy, List<String> misbehaviors, long proxySeed)
    implements ClusterFactory {

  public LocalClusters {
    Objects.requireNonNull(nodeJar, "nodeJar");
    Objects.requireNonNull(toxiproxy, "toxiproxy");
    misbehaviors = List.copyOf(misbehaviors);
  }

  @Override
  public Cluster create(int nodes, int spares, Path dir) throws IOException {
    LocalClusterConfig.Builder config =
        LocalClusterConfig.builder(dir)
            .nodeJar(nodeJar)
            .nodes(nodes)
            .spares(spares)
            .misbehaviors(misbehaviors)
            .proxySeed(proxySeed);
    toxiproxy.ifPresent(config::toxiproxy);
    return LocalCluster.create(config.build());
  }
}
