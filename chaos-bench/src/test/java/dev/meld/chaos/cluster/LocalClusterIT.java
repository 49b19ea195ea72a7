package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meld.chaos.cluster.FaultReceipt.Status;
import dev.meld.chaos.nemesis.Grudges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real node processes from the node jar, written to through clients, and every fault kind
 * applied once and verified. The tests run in order on one cluster (starting one costs seconds).
 * Nodes are killed at the end; their logs stay in {@code target/local-cluster-it/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {

  private static final Path JAR =
      Path.of(System.getProperty("meld.node.jar", "../node/target/meld-node.jar"));

  /** Generous: a node's first commands run cold on a busy machine. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

  private LocalCluster cluster;
  private final List<FaultReceipt> receipts = new ArrayList<>();
  private long acked;

  @BeforeAll
  void startCluster() throws Exception {
    assumeTrue(
        Files.isRegularFile(JAR),
        "node jar " + JAR.toAbsolutePath() + " missing: mvn -pl node -am package -DskipTests");
    Path out = Path.of("target", "local-cluster-it");
    LocalNode.deleteTree(out);
    cluster =
        LocalCluster.create(
            LocalClusterConfig.builder(out)
                .nodeJar(JAR)
                .nodes(3)
                .spares(1)
                .nodeArgs(
                    List.of(
                        "--ping-interval=200ms",
                        "--anti-entropy-interval=500ms",
                        "--drain-timeout=5s"))
                .build());
    cluster.start();
  }

  @AfterAll
  void closeCluster() {
    if (cluster != null) {
      List<Long> pids = new ArrayList<>();
      for (String node : List.of("n1", "n2", "n3", "n4")) {
        cluster.pid(node).ifPresent(pids::add);
      }
      cluster.close();
      for (long pid : pids) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            .as("pid %d alive after close", pid)
            .isFalse();
      }
    }
    receipts.forEach(System.out::println);
  }

  private FaultReceipt verified(FaultReceipt receipt) {
    receipts.add(receipt);
    assertThat(receipt.status()).as(receipt.toString()).isEqualTo(Status.VERIFIED);
    return receipt;
  }

  private void write(String node, long delta) {
    try (NodeClient client = cluster.client(node, CLIENT_TIMEOUT)) {
      client.incrBy("counter", delta);
      acked += delta;
      client.sadd("set", node + "-" + acked);
    }
  }

  private void awaitCounterEverywhere() throws InterruptedException {
    boolean converged =
        Await.until(
            Duration.ofSeconds(30),
            () -> {
              for (String node : cluster.nodes()) {
                try (NodeClient client = cluster.client(node, CLIENT_TIMEOUT)) {
                  if (client.counterGet("counter") != acked) {
                    return false;
                  }
                }
              }
              return true;
            });
    assertThat(converged).as("every node reads counter = %d", acked).isTrue();
  }

  @Test
  @Order(1)
  void clientsWriteAndEveryNodeConverges() throws Exception {
    for (String node : cluster.nodes()) {
      write(node, 3);
    }
    awaitCounterEverywhere();
    assertThat(cluster.health("n1").members())
        .extracting(NodeHealth.Member::name)
        .contains("n1", "n2", "n3");
  }

  @Test
  @Order(2)
  void killAndRestart() throws Exception {
    long pid = cluster.pid("n1").orElseThrow();
    verified(cluster.kill("n1"));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    write("n2", 1);
    verified(cluster.restart("n1"));
    awaitCounterEverywhere();
  }

  @Test
  @Order(3)
  void pauseAndResume() throws Exception {
    verified(cluster.pause("n2"));
    write("n3", 2);
    verified(cluster.resume("n2"));
    awaitCounterEverywhere();
  }

  @Test
  @Order(4)
  void terminateDrainsAndExitsZero() throws Exception {
    FaultReceipt terminate = verified(cluster.terminate("n3"));
    assertThat(terminate.detail()).contains("exit code 0").contains("drain completed");
    verified(cluster.restart("n3"));
    awaitCounterEverywhere();
  }

  @Test
  @Order(5)
  void partitionAndHeal() throws Exception {
    FaultReceipt cut =
        verified(cluster.partition(Grudges.isolateOne(cluster.nodes(), new Random(1))));
    assertThat(cut.detail()).contains("links cut").contains("unreachable");
    write("n1", 4);
    write("n2", 5);
    write("n3", 6);
    verified(cluster.heal());
    awaitCounterEverywhere();
  }

  @Test
  @Order(6)
  void slowAndLossyLinks() throws Exception {
    verified(cluster.slow("n1", "n2", Duration.ofSeconds(2), Duration.ofMillis(100)));
    verified(cluster.lossy("n2", "n3", 0.5));
    write("n1", 7);
    write("n2", 8);
    verified(cluster.heal());
    awaitCounterEverywhere();
  }

  @Test
  @Order(7)
  void clockOffsetMovesTheNodesClock() {
    Optional<String> unsupported = cluster.unsupported(FaultKind.CLOCK_OFFSET);
    FaultReceipt bump = cluster.clockOffset("n1", Duration.ofSeconds(30));
    if (unsupported.isPresent()) {
      assertThat(bump.status()).isEqualTo(Status.SKIPPED);
      assertThat(bump.detail()).contains("apt-get install -y faketime");
      return;
    }
    verified(bump);
    verified(cluster.clockOffset("n1", Duration.ZERO));
  }

  @Test
  @Order(8)
  void wipeRestartsEmptyAndCatchesUp() throws Exception {
    verified(cluster.wipe("n2"));
    awaitCounterEverywhere();
  }

  @Test
  @Order(9)
  void joinTakesDataAndLeaveDrains() throws Exception {
    verified(cluster.join("n4"));
    assertThat(cluster.nodes()).contains("n4");
    write("n4", 9);
    awaitCounterEverywhere();
    assertThat(cluster.unsupported(FaultKind.LEAVE)).isEmpty();
    verified(cluster.leave("n4"));
    assertThat(cluster.nodes()).doesNotContain("n4");
  }

  @Test
  @Order(10)
  void backupThenRestoreTakesANewIncarnationAndPeersRepairWhatTheCopyLacks() throws Exception {
    long before = cluster.health("n3").incarnation();
    FaultReceipt backup = verified(cluster.backup("n3", "it"));
    assertThat(backup.detail()).contains("exit code 0", "copied ");
    assertThat(cluster.logDir().resolve("n3").resolve("backups").resolve("it").resolve("CURRENT")).isRegularFile();
    assertThat(cluster.health("n3").incarnation()).as("a graceful stop keeps the incarnation").isEqualTo(before);

    write("n3", 7);
    write("n1", 2);
    awaitCounterEverywhere(); // n3's own write is on its peers before its copy goes back
    FaultReceipt restore = verified(cluster.restore("n3", "it"));
    assertThat(restore.detail()).contains("marked RESTORED", "consumed the mark");
    assertThat(cluster.health("n3").incarnation()).as("a restored store acts anew").isNotEqualTo(before);
    awaitCounterEverywhere();

    long pid = cluster.pid("n1").orElseThrow();
    FaultReceipt never = cluster.restore("n1", "never-taken");
    receipts.add(never);
    assertThat(never.status()).isEqualTo(Status.FAILED);
    assertThat(never.detail()).contains("no copy \"never-taken\" of n1", "the node is untouched");
    assertThat(cluster.pid("n1")).contains(pid);
  }
}
