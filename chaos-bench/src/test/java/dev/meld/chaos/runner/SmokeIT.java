package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meld.chaos.cli.MeldChaos;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CI's smoke set against real node processes: crashes, partitions with and without removes, a
 * clock bump (SKIPPED, with the install command, where libfaketime is missing). Every checker and
 * every fault must pass; reports stay in {@code target/smoke-it/}.
 */
class SmokeIT {

  @Test
  void theSmokeSetPassesAgainstTheRealNode() throws Exception {
    RealNodeRuns.assumeNodeJar();
    RealNodeRuns.Run run =
        RealNodeRuns.run("smoke-it", "--scenario", "smoke", "--seed", "1", "--time-limit", "15s");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(MeldChaos.VALID);
    List<JsonNode> results = run.results();
    assertThat(results).extracting(r -> r.get("name").asText())
        .containsExactlyInAnyOrder("crash_restart", "partition_divergence", "partition_no_resurrect", "clock_bump");
    for (JsonNode r : results) {
      if (!r.get("skipped").isNull()) {
        assertThat(r.get("name").asText()).isEqualTo("clock_bump");
        assertThat(r.get("skipped").asText()).contains("apt-get install -y faketime");
        continue;
      }
      assertThat(r.get("valid").asBoolean()).as(r.toString()).isTrue();
      assertThat(r.get("faults")).isNotEmpty().allSatisfy(f -> assertThat(f.get("verified").asBoolean()).isTrue());
      assertThat(r.get("convergence").get("converged").asBoolean()).isTrue();
    }
    assertThat(run.dir().resolve("index.html")).isNotEmptyFile();
  }
}
