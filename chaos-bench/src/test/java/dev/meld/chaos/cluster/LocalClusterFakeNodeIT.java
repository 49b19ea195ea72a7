package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.cluster.FaultReceipt.Status;
import dev.meld.chaos.nemesis.Grudges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalCluster} end to end on {@link FakeNode} processes: every fault applied and verified
 * through real processes, ports, proxies and admin endpoints; and, with nodes that misreport, the
 * same checks failing the fault instead of passing it.
 */
class LocalClusterFakeNodeIT {

  private static final List<String> SMALL_JVM =
      List.of("-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static LocalClusterConfig.Builder config(String name, List<String> nodeArgs)
      throws Exception {
    Path out = Path.of("target", "fake-node-it", name);
    LocalNode.deleteTree(out);
    return LocalClusterConfig.builder(out)
        .nodeJar(FakeNodeJar.write(out))
        .jvmOptions(SMALL_JVM)
        .nodeArgs(nodeArgs)
        .readyTimeout(Duration.ofSeconds(30))
        .viewTimeout(Duration.ofSeconds(10))
        .stopTimeout(Duration.ofSeconds(10));
  }

  private static FaultReceipt verified(FaultReceipt receipt) {
    assertThat(receipt.status()).as(receipt.toString()).isEqualTo(Status.VERIFIED);
    return receipt;
  }

  private static FaultReceipt failed(FaultReceipt receipt) {
    assertThat(receipt.status()).as(receipt.toString()).isEqualTo(Status.FAILED);
    return receipt;
  }

  @Test
  void everyFaultIsAppliedAndVerified() throws Exception {
    try (LocalCluster cluster =
        LocalCluster.create(config("all", List.of()).nodes(3).spares(1).build())) {
      cluster.start();
      assertThat(cluster.nodes()).containsExactly("n1", "n2", "n3");
      assertThat(cluster.health("n1").members()).hasSize(3);

      long pid = cluster.pid("n1").orElseThrow();
      verified(cluster.kill("n1"));
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThatThrownBy(() -> cluster.pause("n1")).isInstanceOf(IllegalStateException.class);
      verified(cluster.restart("n1"));

      verified(cluster.pause("n2"));
      assertThatThrownBy(() -> cluster.health("n2")).isInstanceOf(NodeUnreachable.class);
      verified(cluster.resume("n2"));

      assertThat(verified(cluster.terminate("n3")).detail()).contains("exit code 0");
      verified(cluster.restart("n3"));

      FaultReceipt cut =
          verified(cluster.partition(Grudges.isolateOne(cluster.nodes(), new Random(3))));
      assertThat(cut.detail()).contains("4 links cut").contains("see their cut senders");
      verified(cluster.heal());

      assertThat(verified(cluster.slow("n1", "n2", Duration.ofMillis(800), Duration.ZERO)).detail())
          .contains("probe answered after");
      verified(cluster.lossy("n2", "n3", 0.5));
      verified(cluster.heal());

      boolean clocks = cluster.unsupported(FaultKind.CLOCK_OFFSET).isEmpty();
      if (clocks) {
        assertThat(verified(cluster.clockOffset("n1", Duration.ofSeconds(-20))).detail())
            .contains("node clock at -");
        verified(cluster.clockOffset("n1", Duration.ZERO));
      } else {
        assertThat(cluster.clockOffset("n1", Duration.ofSeconds(5)).status())
            .isEqualTo(Status.SKIPPED);
      }

      long before = cluster.health("n2").incarnation();
      verified(cluster.wipe("n2"));
      assertThat(cluster.health("n2").incarnation()).isNotEqualTo(before);

      before = cluster.health("n3").incarnation();
      verified(cluster.backup("n3", "b"));
      assertThat(cluster.health("n3").incarnation()).isEqualTo(before);
      assertThat(verified(cluster.restore("n3", "b")).detail()).contains("consumed the mark");
      assertThat(cluster.health("n3").incarnation()).isNotEqualTo(before);

      verified(cluster.join("n4"));
      assertThat(cluster.nodes()).containsExactly("n1", "n2", "n3", "n4");
      assertThat(cluster.unsupported(FaultKind.LEAVE)).isEmpty();
      verified(cluster.leave("n4"));
      assertThat(cluster.nodes()).containsExactly("n1", "n2", "n3");

      assertThat(Files.readAllLines(cluster.logDir().resolve("faults.log")))
          .hasSize(clocks ? 18 : 16); // skipped clock faults are not applied, so not logged
    }
  }

  @Test
  void faultsTheNodesDoNotShowAreNotVerified() throws Exception {
    List<String> misreport =
        List.of("--fake-deaf", "--fake-frozen-clock", "--fake-exit-code=3", "--fake-ignore-restored");
    try (LocalCluster cluster =
        LocalCluster.create(config("misreport", misreport).nodes(2).spares(0).build())) {
      cluster.start();

      assertThat(failed(cluster.partition(Grudges.halves(cluster.nodes()))).detail())
          .contains("sees n1 LIVE");
      verified(cluster.heal());

      // A backup whose stop is not clean takes no copy, and the node is started again.
      long pid = cluster.pid("n1").orElseThrow();
      assertThat(failed(cluster.backup("n1", "b")).detail()).contains("exit code 3", "no copy taken", "restarted: ");
      assertThat(cluster.pid("n1")).isPresent().isNotEqualTo(java.util.Optional.of(pid));
      assertThat(cluster.health("n1").node()).isEqualTo("n1");
      // A node that opens a restored copy as if it were its own fails the restore.
      Files.createDirectories(cluster.logDir().resolve("n1").resolve("backups").resolve("b"));
      assertThat(failed(cluster.restore("n1", "b")).detail()).contains("did not open the copy as restored");

      assertThat(failed(cluster.terminate("n2")).detail()).contains("exit code 3");

      if (cluster.unsupported(FaultKind.CLOCK_OFFSET).isEmpty()) {
        assertThat(failed(cluster.clockOffset("n1", Duration.ofSeconds(30))).detail())
            .contains("asked +30 s");
      }
      assertThat(cluster.unsupported(FaultKind.JOIN)).isPresent();
    }
  }
}
