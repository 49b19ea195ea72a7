package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Three nodes as separate processes from the shaded jar, driven by Jedis over their RESP ports:
 * convergence, {@code WAIT}, SIGKILL under load with no acknowledged write lost, SIGTERM draining,
 * and a node with the wrong cluster secret kept out. The tests share one cluster and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final String SECRET = "correct horse battery staple";
  private static final List<String> NAMES = List.of("n1", "n2", "n3");

  @TempDir static Path dir;
  private ProcessCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = ProcessCluster.startedReady(dir, SECRET, NAMES.toArray(String[]::new));
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster == null) {
      return; // startedReady failed and stopped what it had started
    }
    cluster.close();
    assertThat(cluster.leakReports()).as("Netty leak reports in the nodes' logs").isEmpty();
  }

  private long counter(String node, String key) {
    return cluster.counter(node, key);
  }

  @Test
  @Order(1)
  void writesOnEveryNodeConverge() throws Exception {
    Set<String> expected = new HashSet<>();
    for (String n : NAMES) {
      try (Jedis j = cluster.client(n)) {
        for (int i = 0; i < 50; i++) {
          j.incr("hits");
          j.sadd("seen", n + "-" + i);
          expected.add(n + "-" + i);
        }
        j.set("last", n);
      }
    }
    ProcessCluster.await(
        20,
        "every node reads 150 hits and 150 elements",
        () -> {
          for (String n : NAMES) {
            try (Jedis j = cluster.client(n)) {
              if (counter(n, "hits") != 150 || !j.smembers("seen").equals(expected)) {
                return false;
              }
            }
          }
          return true;
        });
    ProcessCluster.await(
        20,
        "equal root digests and one register value",
        () -> {
          Set<String> roots = new HashSet<>();
          Set<String> last = new HashSet<>();
          for (String n : NAMES) {
            roots.add(cluster.health(n).get("rootDigest").asText());
            try (Jedis j = cluster.client(n)) {
              last.add(j.get("last"));
            }
          }
          return roots.size() == 1 && last.size() == 1;
        });
  }

  @Test
  @Order(2)
  void waitForTwoReplicasAnswersTwo() {
    try (Jedis j = cluster.client("n1")) {
      j.incr("waited");
      assertThat(j.waitReplicas(2, 1_000)).isEqualTo(2);
    }
  }

  @Test
  @Order(3)
  void aNodeKilledUnderLoadLosesNoAcknowledgedWrite() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong acked = new AtomicLong();
    ExecutorService writers = Executors.newFixedThreadPool(NAMES.size());
    List<Future<?>> done = new ArrayList<>();
    for (String n : NAMES) {
      done.add(
          writers.submit(
              () -> {
                while (running.get()) {
                  try (Jedis j = cluster.client(n)) {
                    while (running.get()) {
                      j.incr("load");
                      acked.incrementAndGet(); // counted only once the node answered
                    }
                  } catch (RuntimeException connectionLost) {
                    sleep(100); // the killed node: retry until it is back
                  }
                }
                return null;
              }));
    }
    try {
      ProcessCluster.await(10, "some load", () -> acked.get() > 500);
      NodeProcess n3 = cluster.node("n3");
      long before = n3.incarnation();
      n3.kill();
      long ackedAtKill = acked.get();
      ProcessCluster.await(10, "load goes on without n3", () -> acked.get() > ackedAtKill + 500);
      n3.start();
      assertThat(n3.incarnation()).as("a killed node takes a new incarnation").isNotEqualTo(before);
      long ackedAtRestart = acked.get();
      ProcessCluster.await(15, "n3 takes writes again", () -> acked.get() > ackedAtRestart + 500);
    } finally {
      running.set(false);
      for (Future<?> f : done) {
        f.get();
      }
      writers.shutdown();
    }
    long total = acked.get();
    ProcessCluster.await(
        30,
        "every node reads the same load >= " + total,
        () -> {
          long v1 = counter("n1", "load");
          return v1 >= total && counter("n2", "load") == v1 && counter("n3", "load") == v1;
        });
  }

  @Test
  @Order(4)
  void aNodeWithTheWrongSecretIsRefused() throws Exception {
    NodeProcess intruder =
        cluster.define("n4", "--cluster-secret", "not the cluster's secret at all").start();
    try {
      try (Jedis j = cluster.client("n4")) {
        j.incrBy("intruder", 7);
      }
      ProcessCluster.await(
          20,
          "n1 counts AUTH refusals and n4 hears them",
          () ->
              cluster.health("n1").at("/mesh/closedByReason/AUTH").asLong() > 0
                  && cluster.health("n4").at("/mesh/refusedByPeers/AUTH").asLong() > 0);
      Thread.sleep(2_000); // anti-entropy rounds run every second: the write would have arrived
      for (String n : NAMES) {
        assertThat(counter(n, "intruder")).as(n).isZero();
        JsonNode members = cluster.health(n).get("members");
        for (JsonNode m : members) {
          assertThat(m.get("name").asText()).isNotEqualTo("n4");
        }
      }
      assertThat(intruder.log()).contains("refused by the peer: shared-secret proof of n4");
      assertThat(cluster.node("n1").log()).contains("refusing ACCEPTOR connection");
    } finally {
      intruder.kill();
    }
  }

  @Test
  @Order(5)
  void sigtermDrainsAndExitsZero() throws Exception {
    try (Jedis j = cluster.client("n2")) {
      j.incrBy("drained", 3);
    }
    NodeProcess n2 = cluster.node("n2");
    assertThat(n2.terminate(30)).isZero();
    assertThat(n2.log()).contains("drain completed").contains("node n2 stopped");
    assertThat(counter("n1", "drained")).isEqualTo(3); // the drain waited for the peers' acks
    long before = n2.incarnation();
    n2.start();
    assertThat(n2.incarnation()).as("a clean stop keeps the incarnation").isEqualTo(before);
    assertThat(counter("n2", "drained")).isEqualTo(3);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
