package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local cluster settings, the node command line, and a missing jar. */
class LocalClusterConfigTest {

  @TempDir Path dir;

  @Test
  void namesAreN1ToNThenTheSpares() {
    LocalClusterConfig config = LocalClusterConfig.builder(dir).nodes(5).spares(2).build();
    assertThat(config.initialNames()).containsExactly("n1", "n2", "n3", "n4", "n5");
    assertThat(config.spareNames()).containsExactly("n6", "n7");
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> LocalClusterConfig.builder(dir).nodes(0).build())
        .hasMessage(
            "nodes: 0, spares: 1 (expected: nodes >= 1, spares >= 0, nodes + spares <= 16)");
    assertThatThrownBy(() -> LocalClusterConfig.builder(dir).readyTimeout(Duration.ZERO).build())
        .hasMessage("timeout: PT0S (expected: positive)");
  }

  @Test
  void aMissingNodeJarSaysHowToBuildIt() {
    LocalClusterConfig config =
        LocalClusterConfig.builder(dir).nodeJar(dir.resolve("nope.jar")).build();
    assertThatThrownBy(() -> LocalCluster.create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.jar does not exist")
        .hasMessageContaining("build it with mvn -pl node -am package -DskipTests");
  }

  @Test
  void anOutputDirectoryHoldingAnotherClustersNodesIsRefused() throws Exception {
    Path jar = java.nio.file.Files.writeString(dir.resolve("node.jar"), "");
    java.nio.file.Files.createDirectories(dir.resolve("nodes").resolve("n1").resolve("data"));
    LocalClusterConfig config = LocalClusterConfig.builder(dir).nodeJar(jar).build();
    assertThatThrownBy(() -> LocalCluster.create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not empty (expected: a fresh output directory per cluster");
  }

  @Test
  void theCommandLineNamesEveryAddressAndDialsPeersThroughTheirProxies() throws Exception {
    LocalClusterConfig config =
        LocalClusterConfig.builder(dir)
            .nodeJar(Path.of("/jars/meld-node.jar"))
            .java(Path.of("/jdk/bin/java"))
            .jvmOptions(List.of("-Xmx64m"))
            .misbehaviors(List.of("ACK_BEFORE_DURABLE", "SKIP_ANTI_ENTROPY"))
            .nodeArgs(List.of("--ping-interval=200ms"))
            .faketime(Optional.empty())
            .build();
    LocalNode n1 = new LocalNode("n1", PortAllocator.forLoopback(), dir.resolve("nodes"));
    n1.dial("n2", new InetSocketAddress("127.0.0.1", 20002));
    n1.dial("n3", new InetSocketAddress("127.0.0.1", 20003));
    List<String> command = n1.command(config, Map.of("n1", n1.mesh()));

    assertThat(command.subList(0, 4))
        .containsExactly("/jdk/bin/java", "-Xmx64m", "-jar", "/jars/meld-node.jar");
    assertThat(command)
        .contains(
            "--name=n1",
            "--client=" + LocalNode.hostPort(n1.client()),
            "--mesh=" + LocalNode.hostPort(n1.mesh()),
            "--admin=" + LocalNode.hostPort(n1.admin()),
            "--seeds=n1=" + LocalNode.hostPort(n1.mesh()),
            "--dial=n2=127.0.0.1:20002",
            "--dial=n3=127.0.0.1:20003",
            "--cluster=meld-chaos",
            "--unsafe-misbehave=ACK_BEFORE_DURABLE,SKIP_ANTI_ENTROPY",
            "--ping-interval=200ms")
        .anyMatch(arg -> arg.startsWith("--data-dir=") && arg.endsWith("nodes/n1/data"));
  }

  @Test
  void withTlsTheClientAddressServesTlsAndTheMeshIsMutualTlsWithTheClustersCertificates()
      throws Exception {
    LocalClusterConfig config =
        LocalClusterConfig.builder(dir).nodeJar(Path.of("/jars/meld-node.jar")).tls(true).build();
    LocalNode n1 = new LocalNode("n1", PortAllocator.forLoopback(), dir.resolve("nodes"));
    List<String> command = n1.command(config, Map.of("n1", n1.mesh()));
    String certs = config.certsDir().toAbsolutePath().toString();
    assertThat(config.certsDir()).isEqualTo(dir.resolve("certs"));
    assertThat(command)
        .contains(
            "--client=off",
            "--tls-port=" + LocalNode.hostPort(n1.client()),
            "--tls-cert-file=" + certs + "/n1.pem",
            "--tls-key-file=" + certs + "/n1-key.pem",
            "--tls-ca-cert-file=" + certs + "/ca.pem",
            "--tls-auth-clients=yes",
            "--mesh-tls-cert=" + certs + "/n1.pem",
            "--mesh-tls-key=" + certs + "/n1-key.pem",
            "--mesh-tls-ca=" + certs + "/ca.pem")
        .doesNotContain("--client=" + LocalNode.hostPort(n1.client()));
  }
}
