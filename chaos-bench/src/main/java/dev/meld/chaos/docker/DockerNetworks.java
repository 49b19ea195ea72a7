package dev.meld.chaos.docker;

import com.github.dockerjava.api.model.Network.Ipam;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.testcontainers.containers.Network;

/**
 * The run's two networks: {@code <prefix>-mesh} (internal: peers only, nothing routed out) and
 * {@code <prefix>-edge} (the bench reaches nodes here), each on a subnet of its own so nodes keep
 * fixed addresses. A subnet that overlaps another network is drawn again, up to {@link #ATTEMPTS}
 * times.
 */
final class DockerNetworks {

  static final int ATTEMPTS = 12;

  private final Subnets subnets;
  private final Network mesh;
  private final String edgeId;

  private DockerNetworks(Subnets subnets, Network mesh, String edgeId) {
    this.subnets = subnets;
    this.mesh = mesh;
    this.edgeId = edgeId;
  }

  static DockerNetworks create(DockerOps ops, String prefix) {
    Random random = new Random(prefix.hashCode() ^ System.nanoTime());
    RuntimeException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Subnets s = Subnets.draw(random);
      Network mesh = null;
      try {
        mesh = network(prefix + "-mesh", prefix, s.mesh(), true);
        mesh.getId();
        Network edge = network(prefix + "-edge", prefix, s.edge(), false);
        return new DockerNetworks(s, mesh, edge.getId());
      } catch (RuntimeException e) {
        // Most likely "Pool overlaps with other one on this address space": draw again.
        last = e;
        ops.removeRun(prefix);
      }
    }
    throw new IllegalStateException(
        "docker networks for " + prefix + ": none created in " + ATTEMPTS + " attempts: " + last, last);
  }

  private static Network network(String name, String prefix, String subnet, boolean internal) {
    return Network.builder()
        .driver("bridge")
        .createNetworkCmdModifier(
            cmd -> {
              Map<String, String> labels = new HashMap<>();
              if (cmd.getLabels() != null) {
                labels.putAll(cmd.getLabels());
              }
              labels.put(RunPrefix.LABEL, prefix);
              cmd.withName(name)
                  .withInternal(internal)
                  .withLabels(labels)
                  .withIpam(
                      new Ipam()
                          .withConfig(
                              List.of(
                                  new Ipam.Config()
                                      .withSubnet(Subnets.cidr(subnet))
                                      .withGateway(Subnets.gateway(subnet)))));
            })
        .build();
  }

  Subnets subnets() {
    return subnets;
  }

  Network mesh() {
    return mesh;
  }

  String edgeId() {
    return edgeId;
  }
}
