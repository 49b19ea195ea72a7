package dev.meld.chaos.runner;

import dev.meld.chaos.cluster.Cluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Makes a fresh cluster for each scenario run. */
public interface ClusterFactory {

  /**
   * A cluster of {@code nodes} nodes, not started, writing its node logs under {@code dir}.
   *
   * @param spares how many nodes may join later ({@link #spareNames})
   */
  Cluster create(int nodes, int spares, Path dir) throws IOException;

  /** The names spare nodes take: {@code n(N+1) ..}, as the local cluster names them. */
  static List<String> spareNames(int nodes, int spares) {
    return java.util.stream.IntStream.rangeClosed(nodes + 1, nodes + spares)
        .mapToObj(i -> "n" + i)
        .toList();
  }
}
