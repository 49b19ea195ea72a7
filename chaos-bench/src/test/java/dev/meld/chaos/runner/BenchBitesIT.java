package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meld.chaos.cli.MeldChaos;
import org.junit.jupiter.api.Test;

/**
 * The bench bites real processes: a node that comes back from a wipe under its old incarnation
 * (Riak's kv679: its new (replica, counter) pairs collide with those its peers hold) is reported by
 * {@code wipe_replace}'s incarnation check, with every fault verified. The other deliberate bugs are
 * shown on the simulator ({@code SimBitesTest}).
 */
class BenchBitesIT {

  @Test
  void aNodeBackFromAWipeUnderItsOldIncarnationIsReported() throws Exception {
    RealNodeRuns.assumeNodeJar();
    RealNodeRuns.Run run =
        RealNodeRuns.run(
            "bites-it",
            "--scenario", "wipe_replace",
            "--seed", "1",
            "--time-limit", "8s",
            "--quiesce-limit", "10s",
            "--unsafe-misbehave", "REUSE_INCARNATION");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(MeldChaos.INVALID);
    JsonNode result = run.results().get(0);
    JsonNode incarnations = result.get("checks").get(IncarnationWatch.NAME);
    assertThat(incarnations.get("valid").asBoolean()).as(result.toString()).isFalse();
    assertThat(incarnations.get("reused").toString()).contains("came back from wipe under its old incarnation");
    // The first wipe took effect (a later one may find replication stalled by the bug and not run).
    assertThat(result.get("faults").get(0).get("verified").asBoolean()).as(result.toString()).isTrue();
  }
}
