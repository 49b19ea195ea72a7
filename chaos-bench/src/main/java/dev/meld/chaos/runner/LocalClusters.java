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
 * <p>Nodes run with the client compiler only ({@link #JVM_OPTIONS}): on a small machine running
 * three to five nodes and the bench, it starts a cluster in about half the time (measured 9-13 s
 * against 18-21 s for three nodes on 2 busy cores), and the bench's request rate needs no peak
 * throughput.
 *
 * @param nodeJar the node's runnable jar
 * @param toxiproxy a Toxiproxy server for the mesh instead of the in-process fault proxy
 * @param misbehaviors {@code --unsafe-misbehave} flags for every node (the bench-bites tests)
 * @param proxySeed seeds the fault proxy's random choices
 * @param tls mesh TLS and TLS client ports, certificates made per cluster ({@code --tls})
 */
public record LocalClusters(
    Path nodeJar, Optional<URI> toxiproxy, List<String> misbehaviors, long proxySeed, boolean tls)
    implements ClusterFactory {

  /** The nodes' JVM options: a small heap, the serial collector, the client compiler only. */
  public static final List<String> JVM_OPTIONS =
      List.of(
          "-Xms64m",
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1");

  /** Clusters without TLS. */
  public LocalClusters(Path nodeJar, Optional<URI> toxiproxy, List<String> misbehaviors, long proxySeed) {
    this(nodeJar, toxiproxy, misbehaviors, proxySeed, false);
  }

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
            .jvmOptions(JVM_OPTIONS)
            .misbehaviors(misbehaviors)
            .proxySeed(proxySeed)
            .tls(tls);
    toxiproxy.ifPresent(config::toxiproxy);
    return LocalCluster.create(config.build());
  }
}
