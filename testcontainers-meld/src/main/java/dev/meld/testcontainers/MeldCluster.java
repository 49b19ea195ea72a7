package dev.meld.testcontainers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A Meld cluster of {@code n} containers ({@code n1 .. nN}) on a network of its own, founded
 * together: each is seeded with all of them. {@link #start()} returns when every node is ready; {@link #close()} stops
 * them and removes the network.
 *
 * <pre>{@code
 * try (MeldCluster cluster = new MeldCluster(MeldImage.production(jar), 3)) {
 *   cluster.start();
 *   MeldContainer n1 = cluster.node(0);
 *   ...
 * }
 * }</pre>
 */
public final class MeldCluster implements Startable {

  private final Network network;
  private final List<MeldContainer> nodes;

  public MeldCluster(DockerImageName image, int size) {
    if (size < 1 || size > 16) {
      throw new IllegalArgumentException("cluster size: " + size + " (expected: 1 to 16)");
    }
    this.network = Network.newNetwork();
    List<MeldContainer> list = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      MeldContainer node =
          new MeldContainer(image).withNodeName("n" + i).withNetwork(network).withNetworkAliases("n" + i);
      // Every node, itself included, as the local backend seeds its founding members.
      for (int j = 1; j <= size; j++) {
        node.withSeed("n" + j, "n" + j, MeldContainer.MESH_PORT);
      }
      list.add(node);
    }
    this.nodes = Collections.unmodifiableList(list);
  }

  /** Starts every node at once (a founding node waits for its peers) and waits until all are ready. */
  @Override
  public void start() {
    Startables.deepStart(nodes).join();
  }

  /** The nodes, {@code n1} first. */
  public List<MeldContainer> nodes() {
    return nodes;
  }

  public MeldContainer node(int index) {
    return nodes.get(index);
  }

  @Override
  public void stop() {
    RuntimeException first = null;
    for (MeldContainer node : nodes) {
      try {
        node.stop();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    network.close();
    if (first != null) {
      throw first;
    }
  }
}
