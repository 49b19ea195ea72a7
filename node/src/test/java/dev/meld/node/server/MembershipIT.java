package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * Join and leave on real node processes: three nodes take writes, a fourth starts with only them as
 * seeds (they do not list it) and becomes a member everyone lists, with their data; then a member
 * leaves through {@code POST /leave}, drains, exits 0, and the others forget it. The tests share
 * one cluster and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipIT {

  private static final String SECRET = "correct horse battery staple";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private ProcessCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = ProcessCluster.startedReady(dir, SECRET, "n1", "n2", "n3");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster == null) {
      return; // startedReady failed and stopped what it had started
    }
    cluster.close();
    assertThat(cluster.leakReports()).as("Netty leak reports in the nodes' logs").isEmpty();
  }

  private int setSize(String node, String key) {
    try (Jedis j = cluster.client(node)) {
      return j.smembers(key).size();
    }
  }

  /** Whether {@code observer} lists exactly {@code names} as members, every one itself or live. */
  private boolean listsExactlyLive(String observer, List<String> names) throws Exception {
    JsonNode health = cluster.health(observer);
    List<String> listed = new ArrayList<>();
    for (JsonNode m : health.get("members")) {
      String state = m.get("state").asText();
      if (!state.equals("SELF") && !state.equals("LIVE")) {
        return false;
      }
      listed.add(m.get("name").asText());
    }
    List<String> membership = new ArrayList<>();
    health.at("/membership/members").forEach(n -> membership.add(n.asText()));
    return listed.equals(names) && membership.equals(names);
  }

  private void awaitEachListsExactlyTheOthersLive(List<String> nodes) throws Exception {
    ProcessCluster.await(
        20,
        "each of " + nodes + " lists exactly them, live",
        () -> {
          for (String n : nodes) {
            if (!listsExactlyLive(n, nodes)) {
              return false;
            }
          }
          return true;
        });
  }

  @Test
  @Order(1)
  void aNewNodeJoinsWithTheMembersAsSeedsAndEveryoneListsEveryone() throws Exception {
    Set<String> old = new HashSet<>();
    for (String n : List.of("n1", "n2", "n3")) {
      try (Jedis j = cluster.client(n)) {
        for (int i = 0; i < 20; i++) {
          j.incr("before");
          j.sadd("old", n + "-" + i);
          old.add(n + "-" + i);
        }
      }
    }
    String members = cluster.seeds(); // n1..n3: the joiner is not among its seeds
    NodeProcess n4 = cluster.defineWithSeeds("n4", members, "--cluster-secret", SECRET).start();
    ProcessCluster.await(30, "n4 ready", () -> cluster.ready("n4") == 200);
    assertThat(cluster.health("n4").at("/membership/state").asText()).isEqualTo("MEMBER");
    assertThat(cluster.counter("n4", "before")).as("ready means caught up").isEqualTo(60);
    try (Jedis j = cluster.client("n4")) {
      assertThat(j.smembers("old")).isEqualTo(old);
    }
    awaitEachListsExactlyTheOthersLive(List.of("n1", "n2", "n3", "n4"));
    try (Jedis j = cluster.client("n4")) {
      j.incrBy("joined", 5);
      j.sadd("new", "from-n4");
    }
    ProcessCluster.await(
        20,
        "n4's writes reach the others",
        () -> {
          for (String n : List.of("n1", "n2", "n3")) {
            if (cluster.counter(n, "joined") != 5 || setSize(n, "new") != 1) {
              return false;
            }
          }
          return true;
        });
    assertThat(n4.log()).contains("membership: n4 is member (was joining)");
  }

  @Test
  @Order(2)
  void aMemberAskedToLeaveDrainsExitsZeroAndTheOthersForgetIt() throws Exception {
    int acked = 0;
    try (Jedis j = cluster.client("n2")) {
      for (int i = 0; i < 100; i++) {
        j.incr("left");
        j.sadd("leaver", "e" + i);
        acked++;
      }
    }
    // Issue 15: neither an unauthenticated nor a cross-site shaped leave takes n2 out.
    assertThat(cluster.post("n2", "/leave", "Content-Type", "application/json").statusCode())
        .isEqualTo(401);
    assertThat(
            cluster
                .post(
                    "n2",
                    "/leave",
                    "Origin",
                    "http://evil.example",
                    "Content-Type",
                    "text/plain",
                    "Authorization",
                    "Bearer " + ProcessCluster.ADMIN_TOKEN)
                .statusCode())
        .isEqualTo(403);
    assertThat(cluster.health("n2").at("/membership/state").asText()).isEqualTo("MEMBER");
    assertThat(cluster.ready("n2")).isEqualTo(200);
    HttpResponse<String> answer = cluster.leave("n2");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    JsonNode json = JSON.readTree(answer.body());
    assertThat(json.get("leaving").asBoolean()).isTrue();
    // LEFT when the drain had nothing to wait for and finished before the answer was written.
    assertThat(json.at("/membership/state").asText()).isIn("LEAVING", "LEFT");
    assertThat(json.at("/membership/members").toString()).doesNotContain("n2");

    NodeProcess n2 = cluster.node("n2");
    assertThat(n2.awaitExit(30)).as("exit code after the leave").isZero();
    assertThat(n2.log()).contains("drain completed").contains("node n2 left the cluster");
    // The drain waited for every live peer's ack: no waiting here.
    for (String n : List.of("n1", "n3", "n4")) {
      assertThat(cluster.counter(n, "left")).as(n).isEqualTo(acked);
      assertThat(setSize(n, "leaver")).as(n).isEqualTo(acked);
    }
    awaitEachListsExactlyTheOthersLive(List.of("n1", "n3", "n4"));
    assertThat(cluster.node("n1").log()).contains("mesh: dialing [n3, n4]");
    try (Jedis j = cluster.client("n1")) {
      assertThat(j.incr("after")).isEqualTo(1);
    }
  }
}
