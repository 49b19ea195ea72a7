package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meld.chaos.cli.MeldChaos;
import dev.meld.chaos.docker.DockerClusters;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The container backend's smoke run for the CI: crash_restart and partition_divergence with every
 * node in a container of the debug image, short (8 s of workload each, about a minute in all). Both
 * must be valid with every fault verified: the kills seen by the engine, the partition's iptables
 * rules read back and seen by the nodes. Skipped, with the reason, where no engine answers or
 * Meld's base images are missing; results stay in {@code target/docker-smoke-it/}.
 */
class DockerSmokeIT {

  @Test
  void crashesAndAPartitionOnContainersAreValidWithEveryFaultVerified() throws Exception {
    RealNodeRuns.assumeNodeJar();
    Optional<String> why = DockerClusters.unavailable(Duration.ofMinutes(10));
    assumeTrue(why.isEmpty(), () -> "containers unavailable: " + why.get());

    RealNodeRuns.Run run =
        RealNodeRuns.run(
            "docker-smoke-it",
            "--backend", "docker",
            "--scenario", "crash_restart,partition_divergence",
            "--seed", "7",
            "--time-limit", "8s");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(MeldChaos.VALID);
    List<JsonNode> results = run.results();
    assertThat(results)
        .extracting(r -> r.get("name").asText())
        .containsExactlyInAnyOrder("crash_restart", "partition_divergence");
    for (JsonNode r : results) {
      assertThat(r.get("backend").asText()).isEqualTo("docker");
      assertThat(r.get("valid").asBoolean()).as(r.toString()).isTrue();
      assertThat(r.get("faults"))
          .as(r.get("name").asText() + " faults")
          .isNotEmpty()
          .allSatisfy(f -> assertThat(f.get("verified").asBoolean()).as(f.toString()).isTrue());
      assertThat(r.get("convergence").get("converged").asBoolean()).isTrue();
    }
    JsonNode partition =
        results.stream().filter(r -> r.get("name").asText().equals("partition_divergence")).findFirst().orElseThrow();
    assertThat(partition.get("faults").get(0).get("detail").asText())
        .contains("iptables DROP")
        .contains("receivers see their cut senders unreachable");
  }
}
