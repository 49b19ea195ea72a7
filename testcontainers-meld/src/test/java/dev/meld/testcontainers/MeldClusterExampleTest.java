package dev.meld.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.Jedis;

/**
 * The example for applications (node/README.md and debug-image/README.md point here): a three-node
 * cluster in containers, a write on one node, read back from another once it replicated.
 */
class MeldClusterExampleTest {

  private static DockerImageName image;

  @BeforeAll
  static void image() {
    DockerRequired.assumeDocker();
    image = MeldImage.production(DockerRequired.nodeJar());
  }

  @Test
  void anIncrementOnOneNodeIsReadOnTheOthers() throws Exception {
    try (MeldCluster cluster = new MeldCluster(image, 3)) {
      cluster.start();

      try (Jedis n1 = jedis(cluster.node(0))) {
        assertThat(n1.incrBy("visits", 5)).isEqualTo(5);
        assertThat(n1.sadd("users", "ada", "grace")).isEqualTo(2);
      }

      for (MeldContainer other : cluster.nodes().subList(1, 3)) {
        try (Jedis c = jedis(other)) {
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          while (!"5".equals(c.get("visits")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          assertThat(c.get("visits")).as("visits on %s", other.nodeName()).isEqualTo("5");
          assertThat(c.smembers("users")).containsExactlyInAnyOrder("ada", "grace");
        }
      }
    }
  }

  private static Jedis jedis(MeldContainer node) {
    return new Jedis(node.clientHost(), node.clientPort(), 5_000);
  }
}
