package dev.meld.chaos.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCommandTest {

  private static Map<String, String> seeds() {
    Map<String, String> seeds = new LinkedHashMap<>();
    seeds.put("n1", "10.170.4.11");
    seeds.put("n2", "10.170.4.12");
    return seeds;
  }

  @Test
  void aNodeBindsEveryPortOnAllInterfacesAndAdvertisesItsMeshAddressThroughItsSeed() {
    assertThat(NodeCommand.args("n2", "meld-chaos", seeds(), List.of(), List.of()))
        .containsExactly(
            "--name=n2",
            "--data-dir=/var/lib/meld",
            "--client=0.0.0.0:6379",
            "--mesh=0.0.0.0:7379",
            "--admin=0.0.0.0:9379",
            "--admin-token-file=/meld/admin-token",
            "--cluster=meld-chaos",
            "--seeds=n1=10.170.4.11:7379,n2=10.170.4.12:7379",
            "--cluster-secret=meld-chaos-bench-cluster-secret");
  }

  @Test
  void aRunThatBringsItsOwnMeshCredentialsGetsNoBenchSecret() {
    assertThat(NodeCommand.args("n1", "c", seeds(), List.of(), List.of("--insecure-mesh")))
        .noneMatch(a -> a.startsWith("--cluster-secret"))
        .endsWith("--insecure-mesh");
    assertThat(
            NodeCommand.args("n1", "c", seeds(), List.of(), List.of("--cluster-secret", "0123456789abcdef")))
        .filteredOn(a -> a.startsWith("--cluster-secret"))
        .containsExactly("--cluster-secret");
  }

  @Test
  void misbehaviorsAndExtraArgumentsFollow() {
    assertThat(
            NodeCommand.args("n1", "c", seeds(), List.of("ACK_BEFORE_DURABLE"), List.of("--fsync")))
        .endsWith("--unsafe-misbehave=ACK_BEFORE_DURABLE", "--fsync");
  }

  @Test
  void seedsWithoutTheNodeItselfAreRefused() {
    assertThatThrownBy(() -> NodeCommand.args("n3", "c", seeds(), List.of(), List.of()))
        .hasMessage("seeds: [n1, n2] (expected: to include n3, its own address)");
  }

  @Test
  void theEntrypointInstallsTheFaultsThenExecsJavaWithItsOutputInTheLog() {
    List<String> entry = NodeCommand.entrypoint(List.of("-Xmx256m", "-XX:+UseSerialGC"));
    assertThat(entry.subList(0, 2)).containsExactly("sh", "-c");
    assertThat(entry.get(3)).isEqualTo("meld-node");
    assertThat(entry.get(2))
        .isEqualTo(
            "if [ -f /meld/net-faults.sh ]; then sh /meld/net-faults.sh >>/meld/node.log 2>&1 || exit 97; fi;"
                + " exec java -Xmx256m -XX:+UseSerialGC -jar /opt/meld/meld-node.jar \"$@\" >>/meld/node.log 2>&1");
  }

  @Test
  void aJvmOptionThatTheShellWouldReadIsRefused() {
    assertThatThrownBy(() -> NodeCommand.entrypoint(List.of("-Dx=$(reboot)")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: no spaces, quotes or shell characters");
  }
}
